#!/usr/bin/env node
// The `shopwarden` command: loads tsx's ESM hooks (resolved from this package, whatever the
// working directory) and runs the TypeScript CLI in electron/cli/main.ts in this process.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import(new URL('../electron/cli/main.ts', import.meta.url).href);
process.exitCode = await runCli(process.argv.slice(2));

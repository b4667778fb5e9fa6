// Lint keeps the layers of docs/architecture.md: who may import whom is checked here, not
// left to review. Type-aware rules are off to keep `npm test` fast; tsc runs strict per layer.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const nodeBuiltins = builtinModules.filter((m) => !m.startsWith('_'));
const nodeImports = { regex: `^(node:.*|(${nodeBuiltins.join('|')})(/.*)?)$`, message: 'this layer must not use Node APIs' };
const electronImport = { regex: '^electron(/.*)?$', message: "only electron/main and electron/preload may import 'electron'" };
const into = (folder, message) => ({ regex: `(^|/)${folder}(/|$)`, message });
const nodeOnlyPackages = {
  regex: '^(better-sqlite3|playwright-core|@playwright/.*|electron-store|casbin)$',
  message: 'Node-only package: not in this layer',
};
const reactPackages = { regex: '^(react|react-dom|zustand)(/.*)?$', message: 'UI packages belong to renderer/' };

const layer = (files, patterns) => ({ files, rules: { 'no-restricted-imports': ['error', { patterns }] } });

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'out/', 'release/', '.tmp/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // A hook after an early return breaks a component only on the render that takes the return.
  { files: ['renderer/**/*.tsx', 'renderer/**/*.ts'], plugins: { 'react-hooks': reactHooks }, rules: { 'react-hooks/rules-of-hooks': 'error' } },
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  // Plain JS scripts run under Node (TypeScript files get their globals from tsc instead).
  { files: ['**/*.{js,mjs}'], languageOptions: { globals: globals.node } },
  layer(['shared/**'], [
    nodeImports,
    electronImport,
    nodeOnlyPackages,
    reactPackages,
    into('electron', 'shared/ must not depend on the hosts'),
    into('renderer', 'shared/ must not depend on the UI'),
  ]),
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['window', 'document', 'navigator', 'localStorage', 'process', 'Buffer', 'require'].map((name) => ({
          name,
          message: 'shared/ runs anywhere: no DOM or Node globals',
        })),
      ],
    },
  },
  layer(['electron/core/**'], [
    electronImport,
    reactPackages,
    into('main', 'core must not depend on a host'),
    into('preload', 'core must not depend on a host'),
    into('browser-host', 'core must not depend on a host'),
    into('renderer', 'core must not depend on the UI'),
  ]),
  layer(['electron/main/**', 'electron/preload/**'], [
    reactPackages,
    into('browser-host', 'hosts never import each other'),
    into('renderer', 'the main process talks to the renderer through shared/ipc only'),
  ]),
  layer(['electron/browser-host/**'], [
    electronImport,
    reactPackages,
    into('main', 'hosts never import each other'),
    into('preload', 'hosts never import each other'),
    into('renderer', 'the host serves the renderer build; it does not import it'),
  ]),
  layer(['renderer/**'], [
    nodeImports,
    electronImport,
    nodeOnlyPackages,
    into('electron', 'renderer/ talks to the main process only through shared/ipc'),
  ]),
);

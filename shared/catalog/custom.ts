import { z } from 'zod';
import { BUILTIN_PLATFORMS } from './builtin';
import { platformProblems } from './check';
import { formatIssues } from './issues';
import { Platform } from './schema';

/** The platform's fields without its cross-field checks, so that all problems are reported at once. */
const PlatformFields = z.object(Platform.shape);

export type CustomPlatformResult = { ok: true; platform: Platform } | { ok: false; errors: string[] };

/**
 * Validates an owner-defined platform (F12): the parsed JSON value, or its text. On success the
 * platform is marked `custom`. Errors name the field (`sites[1].hosts: …`) and say what to fix;
 * an id already used by a built-in platform is refused so it cannot shadow it.
 */
export function parseCustomPlatform(json: unknown): CustomPlatformResult {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      return { ok: false, errors: [`not valid JSON: ${error instanceof Error ? error.message : String(error)}`] };
    }
  }
  const fields = PlatformFields.safeParse(value);
  if (!fields.success) return { ok: false, errors: formatIssues(fields.error.issues) };
  const platform = fields.data;
  const checked = Platform.safeParse(value);
  const errors = checked.success ? [] : formatIssues(checked.error.issues);
  if (BUILTIN_PLATFORMS.some((p) => p.id === platform.id))
    errors.push(`id: "${platform.id}" is the id of a built-in platform; choose another id`);
  errors.push(...platformProblems(platform));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, platform: { ...platform, custom: true } };
}

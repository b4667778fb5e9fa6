import amazonSellerCentral from './amazon-seller-central.json';
import taobao from './taobao.json';
import { platformProblems } from './check';
import { Platform, type CatalogSite } from './schema';
import { formatIssues } from './issues';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Validated once at load: a broken shipped catalogue must fail loudly, naming file and field. */
function load(file: string, json: unknown): Platform {
  const parsed = Platform.safeParse(json);
  if (!parsed.success) throw new Error(`built-in catalogue ${file} is invalid: ${formatIssues(parsed.error.issues).join('; ')}`);
  const problems = platformProblems(parsed.data);
  if (problems.length > 0) throw new Error(`built-in catalogue ${file} is invalid: ${problems.join('; ')}`);
  return deepFreeze(parsed.data);
}

/** The catalogues shipped with the app (F12), frozen: copy before editing. */
export const BUILTIN_PLATFORMS: readonly Platform[] = Object.freeze([
  load('amazon-seller-central.json', amazonSellerCentral),
  load('taobao.json', taobao),
]);

export function getPlatform(id: string, platforms: readonly Platform[] = BUILTIN_PLATFORMS): Platform | undefined {
  return platforms.find((p) => p.id === id);
}

export function getSite(platform: Platform, siteId: string): CatalogSite | undefined {
  return platform.sites.find((s) => s.id === siteId);
}

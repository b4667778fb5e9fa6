// Names from the platform catalogues (F12) in the interface language.
import type { Platform } from '../../shared/catalog/schema';
import type { LocalizedText } from '../../shared/model/common';
import { stockRoleName } from '../../shared/policy/templates';

export function localized(text: LocalizedText | undefined, language: string): string {
  if (!text) return '';
  return language.startsWith('zh') ? text.zh : text.en;
}

export function platformName(platforms: readonly Platform[], platformId: string, language: string): string {
  const p = platforms.find((x) => x.id === platformId);
  return p ? localized(p.name, language) : platformId;
}

export function siteName(platforms: readonly Platform[], platformId: string, siteId: string, language: string): string {
  const site = platforms.find((x) => x.id === platformId)?.sites.find((s) => s.id === siteId);
  return site ? localized(site.name, language) : siteId;
}

/** A module's name; modules with the same id share one level across platforms. */
export function moduleName(platforms: readonly Platform[], moduleId: string, language: string, platformId?: string): string {
  const ordered = platformId ? [...platforms].sort((a, b) => Number(b.id === platformId) - Number(a.id === platformId)) : platforms;
  for (const p of ordered) {
    const m = p.modules.find((x) => x.id === moduleId);
    if (m) return localized(m.name, language);
  }
  return moduleId;
}

/**
 * A role's name as the console shows it: built-in roles are stored as "English / 中文" and read in
 * the interface language alone; a name the owner gave is shown as written.
 */
export function roleName(name: string, language: string): string {
  const stock = stockRoleName(name);
  return stock ? localized(stock, language) : name;
}

/** Every module id of every platform, once, in catalogue order. */
export function allModuleIds(platforms: readonly Platform[]): string[] {
  return [...new Set(platforms.flatMap((p) => p.modules.map((m) => m.id)))];
}

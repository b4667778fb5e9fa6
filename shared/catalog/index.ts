// Platform module catalogues (F12): the shipped ones, owner-defined ones, and the site-host
// helpers that turn catalogue filters into filters for one site or translate them between sites.
export { BUILTIN_PLATFORMS, getPlatform, getSite } from './builtin';
export { parseCustomPlatform, type CustomPlatformResult } from './custom';
export { platformProblems } from './check';
export { expandSiteFilters, translateFilterBetweenSites, translateRoleFiltersBetweenSites, type PlaceholderValues, type SiteBoundFilters } from './site-hosts';
export { CatalogModule, CatalogSite, Platform } from './schema';

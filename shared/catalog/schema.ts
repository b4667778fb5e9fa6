import { z } from 'zod';
import { LocalizedText, Slug } from '../model/common';

/**
 * A platform's module catalogue (F12), as data. Filters are Chrome URL filters in which a host
 * written `{key}` stands for each host the store's site lists under that key, e.g.
 * "{seller}/orders-v3" or "{ads}". This is also how rules translate between sites (F10).
 */
export const CatalogSite = z.object({
  id: Slug,
  name: LocalizedText,
  /** Host lists by key; every site of a platform defines the same keys. */
  hosts: z.record(z.string().regex(/^[a-z][a-z0-9]*$/), z.array(z.string().min(1)).min(1)),
  homeUrl: z.string().url(),
  locale: z.string().min(2).max(16),
});
export type CatalogSite = z.infer<typeof CatalogSite>;

export const CatalogModule = z.object({
  id: Slug,
  name: LocalizedText,
  description: LocalizedText.optional(),
  filters: z.array(z.string().min(1)).min(1),
  /** POST endpoints that only read (search, report queries): allowed at View (F14). */
  readOnlyPost: z.array(z.string().min(1)).default([]),
  /** Pages of this module need step-up approval for everyone but the owner (F17). */
  stepUp: z.boolean().default(false),
  /** Sensitive modules start at None in every template but super admin (F11). */
  sensitive: z.boolean().default(false),
});
export type CatalogModule = z.infer<typeof CatalogModule>;

export const Platform = z
  .object({
    id: Slug,
    name: LocalizedText,
    sites: z.array(CatalogSite).min(1),
    modules: z.array(CatalogModule).min(1),
    /** Always allowed for assigned staff: static assets, CDNs, the dashboard shell. */
    baseline: z.array(z.string().min(1)).default([]),
    custom: z.boolean().default(false),
  })
  .superRefine((p, ctx) => {
    const keys = p.sites[0] ? Object.keys(p.sites[0].hosts).sort().join(',') : '';
    p.sites.forEach((s, i) => {
      if (Object.keys(s.hosts).sort().join(',') !== keys)
        ctx.addIssue({ code: 'custom', path: ['sites', i, 'hosts'], message: `site "${s.id}" must define the host keys ${keys}` });
    });
    const seen = new Set<string>();
    p.modules.forEach((m, i) => {
      if (seen.has(m.id)) ctx.addIssue({ code: 'custom', path: ['modules', i, 'id'], message: `duplicate module "${m.id}"` });
      seen.add(m.id);
    });
  });
export type Platform = z.infer<typeof Platform>;

import { z } from 'zod';

/** Entity ids are short opaque strings (we generate them in core; imports may bring their own). */
export const Id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "-" or "_"');
export type Id = z.infer<typeof Id>;

/** The last millisecond of the year 9999: later times cannot be written as dates everywhere they are shown. */
export const LATEST_TIMESTAMP = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** Epoch milliseconds (UTC), from 1970 to the end of the year 9999. */
export const Timestamp = z.number().int().nonnegative().max(LATEST_TIMESTAMP, 'a time before the year 10000');
export type Timestamp = z.infer<typeof Timestamp>;

/** Access level a role grants on a module (Amazon's None / View / View & Edit). */
export const Level = z.enum(['none', 'view', 'edit']);
export type Level = z.infer<typeof Level>;

export const HttpMethod = z.enum(['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE']);
export type HttpMethod = z.infer<typeof HttpMethod>;

/** Methods that only read; everything else mutates (F14). */
export const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Text shown to people in both UI languages (F27). */
export const LocalizedText = z.object({ en: z.string().min(1), zh: z.string().min(1) });
export type LocalizedText = z.infer<typeof LocalizedText>;

/** Module / platform / site slugs: stable keys that rules and catalogues refer to. */
export const Slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'must be lower-case letters, digits and "-"');
export type Slug = z.infer<typeof Slug>;

/** An IANA time zone this runtime knows, such as Asia/Shanghai (checked with Intl). */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, 'an IANA time zone such as Asia/Shanghai');
export type TimeZone = z.infer<typeof TimeZone>;

export const HexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1a2b3c');

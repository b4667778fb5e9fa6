// Shared helpers for the URL filter tests (not a test file itself).
import assert from 'node:assert/strict';
import { parseUrlFilter, type ParseOptions, type UrlFilter } from '../../shared/policy/url-filter';
import { parseRequestUrl, type RequestUrl } from '../../shared/policy/request-url';
import type { Store } from '../../shared/model/store';

export function filter(text: string, options?: ParseOptions): UrlFilter {
  const parsed = parseUrlFilter(text, options);
  if (!parsed.ok) assert.fail(`filter ${JSON.stringify(text)} should parse, got: ${parsed.error}`);
  return parsed.filter;
}

export function url(text: string): RequestUrl {
  const parsed = parseRequestUrl(text);
  if (!parsed) assert.fail(`URL ${JSON.stringify(text)} should parse`);
  return parsed;
}

export function rejected(text: string): string {
  const parsed = parseUrlFilter(text);
  if (parsed.ok) assert.fail(`filter ${JSON.stringify(text)} should be rejected, got ${parsed.filter.canonical}`);
  return parsed.error;
}

/** A store record for policy tests: no proxy, no own user agent; `over` sets the rest. */
export function storeRecord(over: Pick<Store, 'id' | 'platformId' | 'siteId' | 'homeUrl'> & Partial<Store>, at = 1_700_000_000_000): Store {
  return { name: over.id, group: '', colour: '#3b82f6', proxy: null, userAgent: null, acceptLanguage: null, createdAt: at, updatedAt: at, ...over };
}

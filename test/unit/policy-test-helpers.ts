// Shared helpers for the URL filter tests (not a test file itself).
import assert from 'node:assert/strict';
import { parseUrlFilter, type ParseOptions, type UrlFilter } from '../../shared/policy/url-filter';
import { parseRequestUrl, type RequestUrl } from '../../shared/policy/request-url';

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

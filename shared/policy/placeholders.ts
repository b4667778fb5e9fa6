/**
 * `{name}` placeholders in filters: site host keys (`{seller}`) and assignment scope values
 * (`{asin}`). One filter with placeholders stands for every combination of their values.
 */
const PLACEHOLDER = /\{([a-z][a-z0-9_]*)\}/g;

export function placeholderNames(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(PLACEHOLDER), (m) => m[1] as string))];
}

/**
 * How many filters `expandPlaceholders` makes of `text` (the product of its placeholders' value
 * counts), without making them: callers check it first, since the product of a few scope lists
 * can be more filters than memory holds.
 */
export function countExpansions(text: string, lookup: (name: string) => readonly string[] | undefined): number {
  let count = 1;
  for (const name of placeholderNames(text)) count *= lookup(name)?.length ?? 0;
  return count;
}

/**
 * Expands every placeholder with the values `lookup` gives for its name. A name with no values
 * makes the filter stand for nothing (a rule about `{asin}` means nothing without ASINs).
 */
export function expandPlaceholders(text: string, lookup: (name: string) => readonly string[] | undefined): string[] {
  let results = [text];
  for (const name of placeholderNames(text)) {
    const values = lookup(name) ?? [];
    const token = `{${name}}`;
    results = results.flatMap((partial) => values.map((value) => partial.split(token).join(value)));
  }
  return results;
}

import { randomUUID } from 'node:crypto';

/**
 * A new entity id: the 122 random bits of a v4 UUID as 22 base64url characters (fits the `Id`
 * schema: letters, digits, "-" and "_"). Shorter than a UUID in URLs, partitions and logs.
 */
export function newId(): string {
  return Buffer.from(randomUUID().replaceAll('-', ''), 'hex').toString('base64url');
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Platform } from '../../shared/catalog/schema';
import { Role } from '../../shared/model/role';
import { compile } from '../../shared/policy/compile';
import { decide } from '../../shared/policy/decide';
import { parseRequestUrl } from '../../shared/policy/request-url';
import { serverReadingOfPath } from '../../shared/policy/server-path';
import { storeRecord } from './policy-test-helpers';
import { lenientServerPath } from '../fixtures/fake-seller/http';

// serverReadingOfPath (server-path.ts) against the fake seller site's plainly written lenient
// server (test/fixtures/fake-seller/http.ts): the same readings, so no spelling it serves from a
// blocked page is judged as another page.
/** Paths as the browser sends them (parsed, escapes normalised), from the pieces that read differently. */
const sentPath = fc
  .array(fc.constantFrom('/', '/', '//', 'payments', 'orders', 'a', '.', '..', ';', ';x=1', '..;', '%2F', '%2f', '%5C', '%2E', '%2e%2e', '%252F', 'b;c', '%3B'), { maxLength: 10 })
  .map((pieces) => parseRequestUrl(`https://seller.example.com/${pieces.join('')}`)!.path);

test('the server reading of a path is what a lenient server serves, and reads the same again', () => {
  fc.assert(
    fc.property(sentPath, (path) => {
      const reading = serverReadingOfPath(path);
      assert.equal(reading ?? path, lenientServerPath(path), path);
      assert.notEqual(reading, path, 'null, not the path itself, when it reads the same');
      if (reading !== null) assert.equal(serverReadingOfPath(reading), null, `${path} → ${reading}`);
    }),
    { numRuns: 2000 },
  );
});

test('no spelling of a path that a lenient server serves from /payments gets past a role without payments', () => {
  const T0 = 1_700_000_000_000;
  const platform = Platform.parse({
    id: 'shop',
    name: { en: 'Shop', zh: '店' },
    sites: [{ id: 'us', name: { en: 'US', zh: '美国' }, hosts: { seller: ['seller.example.com'] }, homeUrl: 'https://seller.example.com/home', locale: 'en-US' }],
    modules: [
      { id: 'orders', name: { en: 'Orders', zh: '订单' }, filters: ['{seller}/orders'] },
      { id: 'payments', name: { en: 'Payments', zh: '资金' }, filters: ['{seller}/payments'] },
    ],
  });
  const policy = compile({
    platforms: [platform],
    stores: [storeRecord({ id: 's1', platformId: 'shop', siteId: 'us', homeUrl: 'https://seller.example.com/home' }, T0)],
    users: [{ id: 'amy', username: 'amy', displayName: 'amy', kind: 'staff', disabled: false, createdAt: T0, updatedAt: T0 }],
    roles: [Role.parse({ id: 'r', name: 'r', levels: { orders: 'edit', payments: 'none' }, otherLevel: 'edit', createdAt: T0, updatedAt: T0 })],
    assignments: [{ id: 'a', staffId: 'amy', storeId: 's1', roleId: 'r', validFrom: null, validUntil: null, scope: {}, createdAt: T0, updatedAt: T0 }],
    grants: [],
  });
  fc.assert(
    fc.property(sentPath, fc.constantFrom('GET', 'POST'), (path, method) => {
      const served = lenientServerPath(path);
      const decision = decide({ storeId: 's1', userId: 'amy', url: `https://seller.example.com${path}`, method, resourceType: 'xhr', isMainFrame: false }, policy, T0);
      // Filters are path prefixes (Chrome's format), so /paymentsX is under /payments too.
      if (served.startsWith('/payments')) assert.deepEqual([decision.allowed, decision.reason], [false, 'module-none'], `${path} is served as ${served}`);
      else if (!path.startsWith('/payments')) assert.equal(decision.allowed, true, `${path} (served as ${served}): ${decision.reason}`);
    }),
    { numRuns: 2000 },
  );
});

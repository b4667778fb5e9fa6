import { closeDom, LOG_VIEWPORT_HEIGHT } from './helpers/dom';
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { AuditEvent } from '../../shared/model/audit';
import { LOG_COUNT_LIMIT, type RequestOf } from '../../shared/ipc/contract';
import { LogPage } from '../../renderer/features/log/LogPage';
import { LOG_ROW_HEIGHT, urlParts } from '../../renderer/features/log/LogTable';
import { EMPTY_FILTER_FORM, filterToForm, formToFilter } from '../../renderer/features/log/LogFilters';
import { LOG_KEEP_PAGES, LOG_PAGE_SIZE } from '../../renderer/state/log';
import { FakeTransport } from './helpers/fake-transport';
import { renderConsole } from './helpers/render';

afterEach(() => cleanup());
after(() => closeDom());

const TOTAL = 1_000_000;
const T0 = Date.UTC(2025, 0, 1);
const hash = (n: number) => n.toString(16).padStart(64, '0');

/** Row `id` of a log with ids 1..TOTAL, one row a second. */
function rowWithId(id: number): AuditEvent {
  const change = id % 10 === 0;
  return {
    id,
    ts: T0 + id * 1000,
    kind: change ? 'owner-change' : id % 3 === 0 ? 'block' : 'navigation',
    actorId: 'staff-1',
    storeId: 'store-1',
    url: `https://sellercentral.amazon.com/orders-v3/order/${id}`,
    method: 'GET',
    module: 'orders',
    decision: id % 3 === 0 ? 'blocked' : 'allowed',
    reason: null,
    ruleId: null,
    detail: change ? { entity: 'role', action: 'update', id: 'role-1', before: { name: 'Old name' }, after: { name: 'New name' } } : {},
    prevHash: hash(id - 1),
    hash: hash(id),
  };
}

/** A million-row log served like the core does: newest first, keyset pages after `beforeId` within the snapshot `throughId`, counted up to the limit. */
function millionRowLog() {
  return new FakeTransport()
    .on('stores:list', () => [])
    .on('staff:list', () => [])
    .on('log:count', () => ({ count: LOG_COUNT_LIMIT, capped: true }))
    .on('log:daily', () => [
      { day: '2025-01-01', start: T0, blocks: 3, mutations: 5 },
      { day: '2025-01-02', start: T0 + 86_400_000, blocks: 0, mutations: 2 },
    ])
    .on('log:query', (req: RequestOf<'log:query'>) => {
      const limit = req.limit ?? 200;
      const throughId = req.throughId ?? TOTAL;
      const first = Math.min(throughId, req.beforeId === undefined ? TOTAL : req.beforeId - 1);
      const rows: AuditEvent[] = [];
      for (let id = first; id > 0 && rows.length < limit; id--) rows.push(rowWithId(id));
      const last = rows.at(-1)?.id ?? 1;
      return { rows, nextBeforeId: last > 1 ? last : null, throughId };
    });
}

const scrollBox = () => document.querySelector<HTMLElement>('[data-log-scroll]')!;
const renderedRows = () => Array.from(scrollBox().querySelectorAll<HTMLElement>('[role="row"][data-index]'));
type QueryCall = RequestOf<'log:query'>;

describe('operation log table', () => {
  test('a million rows: a window of rows in the DOM, keyset pages fetched as it scrolls, far pages dropped', async () => {
    const transport = millionRowLog();
    const { services } = renderConsole(<LogPage />, { transport });
    const grid = await screen.findByRole('grid');
    await waitFor(() => assert.ok(renderedRows().some((r) => r.dataset.id === String(TOTAL))));
    // The count stopped at its limit: the table says its size is unknown rather than wrong.
    await waitFor(() => assert.ok(screen.getByText(`Matching rows: more than 10,000 (loaded: ${LOG_PAGE_SIZE})`)));
    assert.equal(grid.getAttribute('aria-rowcount'), '-1');

    const visible = Math.ceil(LOG_VIEWPORT_HEIGHT / LOG_ROW_HEIGHT);
    assert.ok(renderedRows().length >= visible, `at least a screenful (${renderedRows().length})`);
    assert.ok(renderedRows().length < visible + 30, `only a window of rows is in the DOM (${renderedRows().length})`);

    const queries = () => transport.callsTo('log:query') as QueryCall[];
    assert.equal(queries().length, 1);
    assert.equal(queries()[0]!.beforeId, undefined);

    // Scroll page after page towards older rows.
    const pagesToWalk = 12;
    for (let page = 1; page <= pagesToWalk; page++) {
      const extent = services.stores.log.getState().extent;
      await act(async () => {
        fireEvent.scroll(scrollBox(), { target: { scrollTop: (extent - visible) * LOG_ROW_HEIGHT } });
      });
      await waitFor(() => assert.equal(queries().length, page + 1));
      await waitFor(() => assert.equal(services.stores.log.getState().extent, (page + 1) * LOG_PAGE_SIZE));
    }
    // Every page after the first continues from the last id of the one before (keyset paging).
    const calls = queries();
    for (let i = 1; i < calls.length; i++) assert.equal(calls[i]!.beforeId, TOTAL - i * LOG_PAGE_SIZE + 1, `page ${i} starts after the previous page`);
    assert.ok(calls.every((c) => c.limit === LOG_PAGE_SIZE));
    // The first answer fixed the snapshot: every later page is read within it.
    assert.equal(calls[0]!.throughId, undefined);
    for (let i = 1; i < calls.length; i++) assert.equal(calls[i]!.throughId, TOTAL, `page ${i} is read within the snapshot`);

    // Only a window of pages is kept in memory, and still only a window of rows in the DOM.
    const kept = Object.keys(services.stores.log.getState().pages).map(Number);
    assert.ok(kept.length <= 2 * LOG_KEEP_PAGES + 3, `pages kept: ${kept.join(',')}`);
    assert.ok(!kept.includes(0), 'the first page was dropped');
    assert.ok(renderedRows().length < visible + 30);
    const firstShown = renderedRows().map((r) => Number(r.dataset.index)).sort((a, b) => a - b)[0]!;
    const row = renderedRows().find((r) => Number(r.dataset.index) === firstShown + 5)!;
    assert.equal(row.dataset.id, String(TOTAL - (firstShown + 5)), 'row index n shows the n-th newest row');

    // Back to the top: the dropped first page is fetched again with its known cursor (none).
    await act(async () => {
      fireEvent.scroll(scrollBox(), { target: { scrollTop: 0 } });
    });
    await waitFor(() => assert.ok(renderedRows().some((r) => r.dataset.id === String(TOTAL))));
    const again = queries().at(-1)!;
    assert.equal(again.beforeId, undefined);
    assert.equal(again.throughId, TOTAL, 'the first page read again stays within the snapshot');
    assert.ok(queries().length <= pagesToWalk + 3, 'nothing loads the whole log');
  });

  test('the URL cell shows the page first and its host after it (the Store column says where); the title has it whole', async () => {
    renderConsole(<LogPage />, { transport: millionRowLog() });
    await waitFor(() => assert.ok(renderedRows().length > 0 && renderedRows()[0]!.dataset.id));
    const cell = renderedRows()[0]!.querySelector('.log-url')!;
    assert.equal(cell.textContent, `/orders-v3/order/${TOTAL} sellercentral.amazon.com`);
    assert.equal(cell.querySelector('.log-url-host')?.textContent, 'sellercentral.amazon.com');
    assert.equal(cell.getAttribute('title'), `https://sellercentral.amazon.com/orders-v3/order/${TOTAL}`);
    assert.deepEqual(urlParts('wss://sellercentral.amazon.com/messaging/ws?x=1'), { page: '/messaging/ws?x=1', host: 'wss://sellercentral.amazon.com' });
    assert.deepEqual(urlParts('HTTP://Example.com'), { page: '/', host: 'Example.com' });
    assert.equal(urlParts('devtools://devtools/bundled/inspector.html'), null);
  });

  test('a row opens the detail panel; owner changes show what changed; keyboard moves between rows', async () => {
    const transport = millionRowLog();
    renderConsole(<LogPage />, { transport });
    await waitFor(() => assert.ok(renderedRows().length > 0 && renderedRows()[0]!.dataset.id));
    const change = renderedRows().find((r) => r.dataset.id === String(TOTAL))!; // id 1,000,000 is an owner change
    fireEvent.click(change);
    const panel = await screen.findByRole('complementary');
    assert.ok(within(panel).getByText(`Row ${TOTAL}`));
    // What changed, field by field; the entity as logged is kept under "Raw data".
    const changed = within(within(panel).getByRole('table')).getAllByRole('row').slice(1).map((r) => Array.from(r.children).map((c) => c.textContent));
    assert.deepEqual(changed, [['Name', 'Old name', 'New name']]);
    assert.match(within(panel).getByLabelText('Before').textContent ?? '', /Old name/);
    assert.match(within(panel).getByLabelText('After').textContent ?? '', /New name/);
    assert.equal(change.getAttribute('aria-selected'), 'true');
    // ↓ then Enter selects the next (older) row.
    change.focus();
    fireEvent.keyDown(change, { key: 'ArrowDown' });
    await waitFor(() => assert.equal((document.activeElement as HTMLElement).dataset.id, String(TOTAL - 1)));
    fireEvent.keyDown(document.activeElement!, { key: 'Enter' });
    await waitFor(() => assert.ok(within(screen.getByRole('complementary')).getByText(`Row ${TOTAL - 1}`)));
  });

  test('a refusal by the host reads as a sentence in the detail panel, with its code', async () => {
    const refused: AuditEvent = { ...rowWithId(7), kind: 'block', url: 'chrome://print/', decision: 'blocked', reason: 'host-print' };
    const transport = millionRowLog()
      .on('log:count', () => ({ count: 1, capped: false }))
      .on('log:query', () => ({ rows: [refused], nextBeforeId: null, throughId: 7 }));
    renderConsole(<LogPage />, { transport });
    await waitFor(() => assert.ok(renderedRows().some((r) => r.dataset.id === '7')));
    fireEvent.click(renderedRows().find((r) => r.dataset.id === '7')!);
    const detail = within(await screen.findByRole('complementary'));
    assert.ok(detail.getByText(/The role does not allow printing: the print preview was closed\./));
    assert.ok(detail.getByText('host-print'));
  });

  test('a managed machine’s restored policy reads as a sentence in the detail panel, in Chinese too', async () => {
    const restored: AuditEvent = { ...rowWithId(9), kind: 'policy-error', actorId: null, storeId: null, url: null, method: null, module: null, decision: null, reason: 'policy-tampered', detail: { restoredVersion: 3, differences: { assignments: ['a-1'] } } };
    const transport = millionRowLog()
      .on('log:count', () => ({ count: 1, capped: false }))
      .on('log:query', () => ({ rows: [restored], nextBeforeId: null, throughId: 9 }));
    renderConsole(<LogPage />, { transport, language: 'zh-CN' });
    await waitFor(() => assert.ok(renderedRows().some((r) => r.dataset.id === '9')));
    fireEvent.click(renderedRows().find((r) => r.dataset.id === '9')!);
    const detail = within(await screen.findByRole('complementary'));
    assert.ok(detail.getByText(/策略数据表在 ShopWarden 之外被改动，已按店主签名的策略恢复/));
    assert.ok(detail.getByText('policy-tampered'));
  });

  test('an exact count is shown as it is, and gives the table its size', async () => {
    const transport = millionRowLog().on('log:count', () => ({ count: 1234, capped: false }));
    renderConsole(<LogPage />, { transport });
    assert.ok(await screen.findByText(`Matching rows: 1,234 (loaded: ${LOG_PAGE_SIZE})`));
    assert.equal(screen.getByRole('grid').getAttribute('aria-rowcount'), '1235');
  });

  test('filters go to log:count and log:query; export and verify report their results', async () => {
    const transport = millionRowLog()
      .on('log:export', (req) => ({ path: `/data/exports/log.${req.format}`, fileName: `log.${req.format}`, rows: 1234 }))
      .on('log:verify', () => ({ intact: false as const, firstBadId: 42, problem: 'hash mismatch' }));
    renderConsole(<LogPage />, { transport });
    await waitFor(() => assert.ok(renderedRows().length > 0));
    fireEvent.change(screen.getByLabelText('Decision'), { target: { value: 'blocked' } });
    fireEvent.change(screen.getByLabelText('URL contains'), { target: { value: 'orders-v3' } });
    fireEvent.change(screen.getByLabelText('Kind'), { target: { value: 'block' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply filters' }));
    await waitFor(() => assert.equal(transport.callsTo('log:count').length, 2));
    const filter = { decision: 'blocked', urlContains: 'orders-v3', kinds: ['block'] };
    assert.deepEqual((transport.callsTo('log:count')[1] as RequestOf<'log:count'>).filter, filter);
    await waitFor(() => assert.deepEqual((transport.callsTo('log:query').at(-1) as QueryCall).filter, filter));

    fireEvent.click(screen.getByRole('button', { name: 'Export JSONL' }));
    assert.ok(await screen.findByText('Exported 1,234 rows to log.jsonl.'));
    assert.ok(screen.getByText('/data/exports/log.jsonl'));
    // The rows the viewer counted (its snapshot), times in the console's zone.
    const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    assert.deepEqual(transport.callsTo('log:export')[0], { filter, format: 'jsonl', throughId: TOTAL, timeZone });

    fireEvent.click(screen.getByRole('button', { name: 'Verify log' }));
    assert.ok(await screen.findByText('The log has been altered'));
    assert.ok(screen.getByText('The first bad row is #42: hash mismatch'));
  });
});

describe('imported logs in the same viewer', () => {
  test("a staff machine's imported rows are shown under its name, a page at a time", async () => {
    const owner = { id: 'owner-1', username: 'boss', displayName: 'Boss', kind: 'owner' as const, disabled: false };
    const imported = (id: number) => ({ ...rowWithId(id), machineId: 'm-1', machineName: 'Front desk PC' });
    const transport = millionRowLog()
      .on('log-bundle:machines', () => [{ machineId: 'm-1', name: 'Front desk PC', fingerprint: 'ab'.repeat(32), lastId: 3, rowCount: 3 }])
      .on('log-bundle:query', (req) =>
        req.after ? { rows: [imported(3)], next: null } : { rows: [imported(1), imported(2)], next: { ts: T0 + 2000, machineId: 'm-1', id: 2 } },
      );
    const { services } = renderConsole(<LogPage />, { transport });
    act(() => services.stores.session.setState({ session: { user: owner, signedInAt: T0 } }));
    const source = await screen.findByLabelText('Whose log');
    fireEvent.change(source, { target: { value: 'm-1' } });
    const table = await screen.findByRole('table', { name: 'Rows imported from Front desk PC, newest first (verified when imported)' });
    await waitFor(() => assert.equal(within(table).getAllByRole('row').length, 3)); // header + 2
    fireEvent.click(screen.getByRole('button', { name: 'Load more rows' }));
    await waitFor(() => assert.equal(within(table).getAllByRole('row').length, 4));
    assert.deepEqual(transport.callsTo('log-bundle:query'), [
      { machineId: 'm-1', limit: 200 },
      { machineId: 'm-1', limit: 200, after: { ts: T0 + 2000, machineId: 'm-1', id: 2 } },
    ]);
    // Back to this computer's log.
    fireEvent.change(source, { target: { value: 'local' } });
    assert.ok(await screen.findByRole('grid'));
  });
});

describe('the time range filter', () => {
  test('"Until" takes in the whole minute it names, so From and Until may be the same minute', () => {
    const form = { ...EMPTY_FILTER_FORM, from: '2026-11-23T20:34', to: '2026-11-23T20:34' };
    const filter = formToFilter(form)!;
    const minute = new Date(2026, 10, 23, 20, 34).getTime();
    assert.deepEqual([filter.from, filter.to], [minute, minute + 60_000]);
    assert.deepEqual(filterToForm(filter), form, 'and back');
  });
});

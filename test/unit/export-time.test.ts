import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exportTime } from '../../electron/core/audit/export-time';

test('without a zone (or in UTC) a time is written as toISOString does', () => {
  const ts = Date.UTC(2026, 10, 23, 19, 35, 16, 123);
  assert.equal(exportTime()(ts), '2026-11-23T19:35:16.123Z');
  assert.equal(exportTime('UTC')(ts), '2026-11-23T19:35:16.123Z');
});

test('in a zone: local time with its offset, naming the same instant, across a change of offset', () => {
  const cases: Array<[string, number, string]> = [
    ['Asia/Shanghai', Date.UTC(2026, 10, 23, 19, 35, 16, 123), '2026-11-24T03:35:16.123+08:00'],
    ['Asia/Kathmandu', Date.UTC(2026, 0, 1, 0, 0, 0, 0), '2026-01-01T05:45:00.000+05:45'],
    ['America/St_Johns', Date.UTC(2026, 0, 1, 12, 0, 0, 0), '2026-01-01T08:30:00.000-03:30'],
    // New York springs forward at 07:00 UTC on 8 March 2026.
    ['America/New_York', Date.UTC(2026, 2, 8, 6, 59, 59, 999), '2026-03-08T01:59:59.999-05:00'],
    ['America/New_York', Date.UTC(2026, 2, 8, 7, 0, 0, 0), '2026-03-08T03:00:00.000-04:00'],
    ['Europe/London', Date.UTC(2026, 6, 1, 12, 0, 0, 0), '2026-07-01T13:00:00.000+01:00'],
  ];
  for (const [zone, ts, expected] of cases) {
    const text = exportTime(zone)(ts);
    assert.equal(text, expected, zone);
    assert.equal(Date.parse(text), ts, `${zone}: the text names the same instant`);
  }
});

test('rows in time order through a whole year: each shows the zone\'s own wall clock (the remembered offset never goes stale)', () => {
  for (const zone of ['America/New_York', 'Australia/Lord_Howe', 'Europe/Berlin']) {
    const time = exportTime(zone);
    // Intl's wall clock as the reference, written like the export's (sv-SE: 2026-03-08 03:00:00).
    const wallClock = new Intl.DateTimeFormat('sv-SE', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    // Every 7 minutes 13 seconds through 2026, across each zone's changes of offset.
    for (let ts = Date.UTC(2026, 0, 1); ts < Date.UTC(2027, 0, 1); ts += 433_000) {
      const text = time(ts);
      assert.equal(text.slice(0, 19).replace('T', ' '), wallClock.format(ts), `${zone} ${new Date(ts).toISOString()}`);
      assert.equal(Date.parse(text), ts, `${zone}: the text names the same instant`);
    }
  }
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { instantOf, isTimeZone, latestFireTime, parseSchedule } from './schedule.js';

const T = Date.UTC(2026, 0, 15, 12, 0, 0); // Thursday 15 January 2026, 12:00 UTC
const MIN = 60_000;
const window = (overrides: Partial<Parameters<typeof latestFireTime>[1]> = {}) => ({ timezone: 'UTC', startTime: null, endTime: null, base: T, ...overrides });

describe('schedule expressions', () => {
  it('parses at, rate and cron, and says what is wrong with the rest', () => {
    assert.deepEqual(parseSchedule('at(2026-01-15T12:30:00)'), { kind: 'at', wall: { year: 2026, month: 1, day: 15, hour: 12, minute: 30, second: 0 } });
    assert.deepEqual(parseSchedule('rate(1 minute)'), { kind: 'rate', everyMs: MIN });
    assert.deepEqual(parseSchedule('rate(2 hours)'), { kind: 'rate', everyMs: 2 * 3_600_000 });
    assert.equal(parseSchedule('cron(0/15 9-17 ? * MON-FRI *)').kind, 'cron');
    assert.throws(() => parseSchedule('at(2026-02-30T00:00:00)'), /is not a date and time/);
    assert.throws(() => parseSchedule('rate(0 minutes)'), /above 0/);
    assert.throws(() => parseSchedule('cron(0 9 * * * *)'), /exactly one of day-of-month and day-of-week must be "\?"/);
    assert.throws(() => parseSchedule('cron(0 9 L * ? *)'), /L, W or #/);
    assert.throws(() => parseSchedule('cron(0 25 * * ? *)'), /hours: "25" is not 0-23/);
    assert.throws(() => parseSchedule('cron(0 9 * *)'), /6 fields/);
    assert.throws(() => parseSchedule('every minute'), /A schedule is at\(/);
  });

  it('at: once, at its wall time in its time zone', () => {
    const at = parseSchedule('at(2026-01-15T13:00:00)');
    assert.equal(latestFireTime(at, window(), T, T + 60 * MIN), T + 60 * MIN);
    assert.equal(latestFireTime(at, window(), T + 60 * MIN, T + 120 * MIN), undefined, 'not twice');
    // 13:00 in Paris (UTC+1 in winter) is 12:00 UTC.
    assert.equal(latestFireTime(at, window({ timezone: 'Europe/Paris' }), T - MIN, T + MIN), T);
    assert.equal(instantOf({ year: 2026, month: 7, day: 1, hour: 9, minute: 0, second: 0 }, 'America/New_York'), Date.UTC(2026, 6, 1, 13, 0, 0), 'EDT is UTC-4');
  });

  it('rate: every period from when it was put, or from its start time; never after its end time', () => {
    const rate = parseSchedule('rate(5 minutes)');
    assert.equal(latestFireTime(rate, window(), T, T + 4 * MIN), undefined);
    assert.equal(latestFireTime(rate, window(), T, T + 12 * MIN), T + 10 * MIN, 'the latest due time');
    assert.equal(latestFireTime(rate, window(), T + 10 * MIN, T + 12 * MIN), undefined);
    assert.equal(latestFireTime(rate, window({ startTime: T + 60 * MIN }), T, T + 60 * MIN), T + 60 * MIN, 'a start time is the first due time');
    assert.equal(latestFireTime(rate, window({ endTime: T + 7 * MIN }), T, T + 12 * MIN), T + 5 * MIN);
  });

  it('cron: minutes matching every field, in the time zone, either day field', () => {
    const weekdays = parseSchedule('cron(0/15 9-17 ? * MON-FRI *)');
    assert.equal(latestFireTime(weekdays, window(), T - MIN, T + 20 * MIN), T + 15 * MIN);
    const saturday = Date.UTC(2026, 0, 17, 12, 0, 0);
    assert.equal(latestFireTime(weekdays, window(), saturday - 60 * MIN, saturday + 60 * MIN), undefined, 'not on a Saturday');
    const monthly = parseSchedule('cron(30 8 1 * ? 2026)');
    assert.equal(latestFireTime(monthly, window({ timezone: 'Asia/Tokyo' }), Date.UTC(2026, 0, 31, 0, 0), Date.UTC(2026, 1, 1, 0, 0)), Date.UTC(2026, 0, 31, 23, 30), '08:30 on the 1st in Tokyo is 23:30 UTC the day before');
  });

  it('knows IANA time zones', () => {
    assert.equal(isTimeZone('Europe/Paris'), true);
    assert.equal(isTimeZone('Mars/Olympus'), false);
  });
});

/**
 * Application Auto Scaling's schedule expressions, pure: `at(yyyy-mm-ddThh:mm:ss)` (once),
 * `rate(<n> minute|minutes|hour|hours|day|days)` and `cron(<minutes> <hours> <day-of-month> <month>
 * <day-of-week> <year>)` (EventBridge's six-field cron), each read in an IANA time zone (UTC by
 * default). `latestFireTime` answers the one question the scaler asks each period: did the
 * schedule fall due in (from, to], and when last?
 *
 * Cron fields take `*`, numbers, ranges `a-b`, steps `a/n` `*\/n` `a-b/n`, lists `a,b`, month
 * names JAN-DEC and day names SUN-SAT (1-7, Sunday first); day-of-month or day-of-week is `?` (the
 * other one decides), as AWS requires. `L`, `W` and `#` are refused by name.
 */

export type Schedule =
  | { readonly kind: 'at'; readonly wall: WallTime }
  | { readonly kind: 'rate'; readonly everyMs: number }
  | { readonly kind: 'cron'; readonly fields: CronFields };

/** A time on a clock in some zone, months 1-12. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** Each cron field as the set of values it matches (undefined: `?`). */
export interface CronFields {
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  readonly daysOfMonth: ReadonlySet<number> | undefined;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number> | undefined;
  readonly years: ReadonlySet<number>;
}

const MINUTE_MS = 60_000;
const RATE_UNITS: Readonly<Record<string, number>> = { minute: MINUTE_MS, minutes: MINUTE_MS, hour: 3_600_000, hours: 3_600_000, day: 86_400_000, days: 86_400_000 };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** How far back a cron schedule is searched for a time it fell due (a controller down longer misses older times). */
export const CRON_LOOKBACK_MS = 2 * 86_400_000;

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly question?: boolean;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, question: true },
  { name: 'year', min: 1970, max: 2199 },
];

function fieldValue(token: string, spec: FieldSpec): number {
  const named = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + 1 : /^\d+$/.test(token) ? Number(token) : NaN;
  if (!Number.isInteger(value) || value < spec.min || value > spec.max) {
    throw new Error(`cron ${spec.name}: "${token}" is not ${spec.names ? `${spec.min}-${spec.max} or ${spec.names[0]}-${spec.names.at(-1)}` : `${spec.min}-${spec.max}`}`);
  }
  return value;
}

/** One cron field as the set of values it matches, or undefined for `?`. */
function parseField(text: string, spec: FieldSpec): Set<number> | undefined {
  if (text === '?') {
    if (!spec.question) throw new Error(`cron ${spec.name}: "?" is only for day-of-month or day-of-week`);
    return undefined;
  }
  if (/[LW#]/i.test(text.replace(/[A-Z]{3}/gi, (name) => (spec.names?.includes(name.toUpperCase()) ? 'X' : name)))) {
    throw new Error(`cron ${spec.name}: "${text}" uses L, W or #, which Wharf does not support; list the days instead`);
  }
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new Error(`cron ${spec.name}: "${part}" has a step that is not a whole number above 0`);
    let [low, high] = [spec.min, spec.max];
    if (range !== '*') {
      const [from = '', to] = range.split('-');
      low = fieldValue(from, spec);
      high = to === undefined ? (stepText === undefined ? low : spec.max) : fieldValue(to, spec);
      if (high < low) throw new Error(`cron ${spec.name}: "${part}" runs backwards`);
    }
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return values;
}

function parseCron(body: string): CronFields {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6) throw new Error(`cron takes 6 fields (minutes hours day-of-month month day-of-week year), got ${parts.length}`);
  const [minutes, hours, daysOfMonth, months, daysOfWeek, years] = parts.map((p, i) => parseField(p, FIELDS[i] as FieldSpec));
  if ((daysOfMonth === undefined) === (daysOfWeek === undefined)) throw new Error('cron: exactly one of day-of-month and day-of-week must be "?"');
  return { minutes: minutes!, hours: hours!, daysOfMonth, months: months!, daysOfWeek, years: years! };
}

/** Parses a schedule expression; throws an Error whose message says what is wrong. */
export function parseSchedule(expression: string): Schedule {
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (at) {
    const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [number, number, number, number, number, number];
    const check = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) throw new Error(`at(...): ${expression.slice(3, -1)} is not a date and time`);
    return { kind: 'at', wall: { year, month, day, hour, minute, second } };
  }
  const rate = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    if (n < 1) throw new Error('rate(...): the value is a whole number above 0');
    return { kind: 'rate', everyMs: n * (RATE_UNITS[rate[2] as string] as number) };
  }
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return { kind: 'cron', fields: parseCron(cron[1] as string) };
  throw new Error('A schedule is at(yyyy-mm-ddThh:mm:ss), rate(<value> <minute|minutes|hour|hours|day|days>) or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>)');
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', weekday: 'short' });
    formatters.set(timezone, f);
  }
  return f;
}

/** Whether `timezone` is an IANA time zone this runtime knows. */
export function isTimeZone(timezone: string): boolean {
  try {
    formatter(timezone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `timezone` at `ms`, with the day of the week (1 = Sunday). */
export function wallTimeAt(ms: number, timezone: string): WallTime & { readonly weekday: number } {
  const parts = Object.fromEntries(formatter(timezone).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: DAYS.indexOf(String(parts.weekday).toUpperCase().slice(0, 3)) + 1,
  };
}

/** The instant a wall-clock time in `timezone` names (in a gap of a DST change, the instant after it). */
export function instantOf(wall: WallTime, timezone: string): number {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const offsetAt = (ms: number): number => {
    const w = wallTimeAt(ms, timezone);
    return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(ms / 1000) * 1000;
  };
  const first = asUtc - offsetAt(asUtc);
  const second = asUtc - offsetAt(first);
  return Math.min(first, second);
}

function cronMatches(fields: CronFields, w: WallTime & { readonly weekday: number }): boolean {
  return (
    fields.minutes.has(w.minute) &&
    fields.hours.has(w.hour) &&
    fields.months.has(w.month) &&
    fields.years.has(w.year) &&
    (fields.daysOfMonth ? fields.daysOfMonth.has(w.day) : (fields.daysOfWeek as ReadonlySet<number>).has(w.weekday))
  );
}

/** When a schedule runs, besides its expression. */
export interface ScheduleWindow {
  readonly timezone: string;
  /** No time before it (ms), if set. */
  readonly startTime: number | null;
  /** No time after it (ms), if set. */
  readonly endTime: number | null;
  /** What a rate counts from when there is no start time: when the action was put. */
  readonly base: number;
}

/**
 * The latest time in (from, to] at which the schedule falls due, within the window's start and
 * end times; undefined when none. A rate falls due at base + n × rate (n ≥ 1) or, with a start
 * time, at start + n × rate (n ≥ 0).
 */
export function latestFireTime(schedule: Schedule, window: ScheduleWindow, from: number, to: number): number | undefined {
  const low = Math.max(from, window.startTime === null ? -Infinity : window.startTime - 1);
  const high = Math.min(to, window.endTime ?? Infinity);
  if (high <= low) return undefined;
  switch (schedule.kind) {
    case 'at': {
      const at = instantOf(schedule.wall, window.timezone);
      return at > low && at <= high ? at : undefined;
    }
    case 'rate': {
      const origin = window.startTime ?? window.base + schedule.everyMs;
      if (high < origin) return undefined;
      const at = origin + Math.floor((high - origin) / schedule.everyMs) * schedule.everyMs;
      return at > low ? at : undefined;
    }
    case 'cron': {
      const floor = Math.max(low, high - CRON_LOOKBACK_MS);
      for (let minute = Math.floor(high / MINUTE_MS) * MINUTE_MS; minute > floor; minute -= MINUTE_MS) {
        if (cronMatches(schedule.fields, wallTimeAt(minute, window.timezone))) return minute;
      }
      return undefined;
    }
  }
}

// Wall-clock times ↔ instants in an IANA time zone, through Intl (full ICU on Node 20).

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();
/** Offsets are cached per zone and quarter hour (zone transitions fall on such boundaries). */
const BUCKET_MS = 15 * 60_000;
const MAX_CACHED = 20_000;

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether Intl knows the zone ('Asia/Shanghai', 'UTC', '+08:00' are; 'Mars/Base' is not). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatterOf(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Minutes the zone is ahead of UTC at an instant (Asia/Shanghai: 480). */
export function zoneOffsetMinutes(timeZone: string, instant: number): number {
  if (timeZone === 'UTC') return 0;
  const key = `${timeZone}|${Math.floor(instant / BUCKET_MS)}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const parts: Record<string, string> = {};
  for (const p of formatterOf(timeZone).formatToParts(new Date(instant))) parts[p.type] = p.value;
  const year = parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year);
  const d = new Date(0);
  d.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
  d.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second), 0);
  const whole = instant - (((instant % 1000) + 1000) % 1000);
  const offset = Math.round((d.getTime() - whole) / 60_000);
  if (offsets.size >= MAX_CACHED) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

const HOURS_14 = 14 * 3_600_000;

/**
 * The instant of a wall-clock time in a zone (`wall`: epoch milliseconds of the wall time read
 * as UTC). A time that happens twice (clocks set back) is the earlier one; a time that never
 * happens (clocks set forward) moves forward by the jump, as 02:30 becomes 03:30.
 */
export function wallToInstant(args: { wall: number; timeZone: string }): number {
  const { wall, timeZone } = args;
  if (timeZone === 'UTC') return wall;
  const before = zoneOffsetMinutes(timeZone, wall - HOURS_14);
  const after = zoneOffsetMinutes(timeZone, wall + HOURS_14);
  const tried = before === after ? [before] : [before, after];
  const candidates = tried.map((o) => ({ o, t: wall - o * 60_000 })).filter((c) => zoneOffsetMinutes(timeZone, c.t) === c.o);
  if (candidates.length) return Math.min(...candidates.map((c) => c.t));
  return wall - before * 60_000;
}

/** The wall-clock time (as UTC epoch milliseconds) of an instant in a zone. */
export function instantToWall(args: { instant: number; timeZone: string }): number {
  return args.instant + zoneOffsetMinutes(args.timeZone, args.instant) * 60_000;
}

/** Whether the wall time of an instant happens twice in its zone (so its offset must be written). */
export function isAmbiguousWall(args: { instant: number; timeZone: string }): boolean {
  const wall = instantToWall(args);
  const before = zoneOffsetMinutes(args.timeZone, wall - HOURS_14);
  const after = zoneOffsetMinutes(args.timeZone, wall + HOURS_14);
  if (before === after) return false;
  return [before, after].every((o) => zoneOffsetMinutes(args.timeZone, wall - o * 60_000) === o);
}

/**
 * A deliberately naive re-implementation of the scheduling rules, used only as a test oracle:
 * luxon DateTime for every conversion, linear scans for every overlap.
 */
import { DateTime } from 'luxon';
import { WEEKDAYS, type ConflictReason, type RecurringPattern, type TeacherSchedule } from '../../api/core/index.js';

const MIN = 60_000;

function toMin(t: string): number {
  return t === '24:00' ? 1440 : Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
}

/** UTC ms of a local date+time, null in a DST gap, the earlier instant when ambiguous. */
export function refInstant(zone: string, date: string, time: string): number | null {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const target = `${date} ${time}`;
  const dt = DateTime.fromObject(
    { year: y, month: mo, day: d, hour: (toMin(time) / 60) | 0, minute: toMin(time) % 60 },
    { zone },
  );
  if (dt.toFormat('yyyy-MM-dd HH:mm') !== target) return null;
  // luxon resolves an ambiguous time to the later instant; look for an earlier one.
  for (const back of [180, 120, 90, 60, 30]) {
    const c = DateTime.fromMillis(dt.toMillis() - back * MIN, { zone });
    if (c.toFormat('yyyy-MM-dd HH:mm') === target) return c.toMillis();
  }
  return dt.toMillis();
}

export function localParts(zone: string, ms: number) {
  const dt = DateTime.fromMillis(ms, { zone });
  return { date: dt.toFormat('yyyy-MM-dd'), time: dt.toFormat('HH:mm'), weekday: WEEKDAYS[dt.weekday % 7]! };
}

export interface RefOccurrence {
  patternIndex: number;
  date: string;
  startMs: number;
  reason: ConflictReason | null;
}

export function refBounds(schedule: TeacherSchedule, now: string) {
  const nowMs = Date.parse(now);
  return { earliest: nowMs + schedule.minNoticeMinutes * MIN, latest: nowMs + schedule.horizonDays * 86_400_000 };
}

export function refReason(
  schedule: TeacherSchedule,
  now: string,
  weekday: string,
  time: string,
  startMs: number,
  durationMinutes: number,
): ConflictReason | null {
  const { earliest, latest } = refBounds(schedule, now);
  const m = toMin(time);
  const inside = schedule.rules.some(
    (r) => r.weekday === weekday && toMin(r.startTime) <= m && m + durationMinutes <= toMin(r.endTime),
  );
  if (!inside) return 'outside_availability';
  if (startMs < earliest) return 'too_soon';
  if (startMs >= latest) return 'beyond_horizon';
  const end = startMs + durationMinutes * MIN;
  const hits = (list: { startUtc: string; endUtc: string }[]) =>
    list.some((iv) => Date.parse(iv.startUtc) < end && startMs < Date.parse(iv.endUtc));
  if (hits(schedule.timeOff)) return 'time_off';
  if (hits(schedule.bookings)) return 'booked';
  return null;
}

/** All non-gap occurrences of the patterns from `earliest` to the horizon, chronologically. */
export function refOccurrences(
  schedule: TeacherSchedule,
  patterns: RecurringPattern[],
  durationMinutes: number,
  now: string,
): RefOccurrence[] {
  const { earliest, latest } = refBounds(schedule, now);
  const zone = schedule.timezone;
  const out: RefOccurrence[] = [];
  // Calendar arithmetic on plain dates (UTC), so that a skipped local day is still visited.
  let day = DateTime.fromISO(DateTime.fromMillis(earliest, { zone }).toFormat('yyyy-MM-dd'), { zone: 'utc' });
  const lastDay = DateTime.fromISO(DateTime.fromMillis(latest, { zone }).toFormat('yyyy-MM-dd'), { zone: 'utc' }).plus({
    days: 1,
  });
  while (day <= lastDay) {
    const date = day.toFormat('yyyy-MM-dd');
    const weekday = WEEKDAYS[day.weekday % 7]!;
    patterns.forEach((p, patternIndex) => {
      if (p.weekday !== weekday) return;
      const startMs = refInstant(zone, date, p.time);
      if (startMs === null || startMs < earliest || startMs >= latest) return;
      out.push({
        patternIndex,
        date,
        startMs,
        reason: refReason(schedule, now, weekday, p.time, startMs, durationMinutes),
      });
    });
    day = day.plus({ days: 1 });
  }
  return out.sort((a, b) => a.startMs - b.startMs);
}

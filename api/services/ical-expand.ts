import ICAL from 'ical.js';
import { DAY_MS, isValidTimeZone, MINUTE_MS, zoneOffsets } from '../core/time.js';

/*
 * The busy time of an ICS feed, as UTC intervals: every VEVENT expanded over a window with ical.js
 * (RRULE, RDATE, EXDATE, RECURRENCE-ID overrides, VTIMEZONE definitions), then merged. Pure: the
 * text, the teacher's zone and the window in, intervals out. It lives in services, not core,
 * because core stays luxon-only; the local-to-UTC step reuses core's zone offsets all the same.
 *
 * Choices a feed leaves open, made here:
 * - A floating time (no Z, no TZID) is the teacher's wall clock. A TZID the file defines no VTIMEZONE
 *   for is taken as an IANA name when it is one (feeds often skip the block), else as floating.
 * - An all-day event (DATE values, which carry no zone in RFC 5545) blocks the whole local day in the
 *   teacher's zone: it is the teacher's day that is taken, wherever the other platform thinks it is.
 * - STATUS:CANCELLED, TRANSP:TRANSPARENT and Outlook's X-MICROSOFT-CDO-BUSYSTATUS:FREE are not busy;
 *   an override (RECURRENCE-ID) is judged on its own properties, so one cancelled lesson of a weekly
 *   series frees that week only.
 * - A local time that does not exist (spring-forward gap) is read with the offset before the gap, as
 *   calendar apps do (02:30 becomes 03:30).
 */

export interface BusyInterval {
  startUtc: string;
  endUtc: string;
}

export interface ExpandOptions {
  /** The teacher's IANA zone: floating times and all-day events are read in it. */
  timezone: string;
  /** The window [from, to) the busy time is expanded over and clipped to. */
  fromUtc: string;
  toUtc: string;
  /** Keep at most this many merged intervals (the earliest); `truncated` says when more were left out. */
  maxIntervals: number;
}

export interface ExpandedFeed {
  /** Merged (no two overlap or touch), in time order, clipped to the window. */
  intervals: BusyInterval[];
  truncated: boolean;
  /** X-WR-CALNAME, the name Google and Outlook give the calendar, when the feed has one. */
  calendarName: string | null;
}

/** The feed cannot be read as iCalendar; the message is a short sentence for `lastError`. */
export class IcsParseError extends Error {
  override name = 'IcsParseError';
}

/** Bounds the work one feed can cause: a daily event since 1990 still ends, and so does the sync. */
const MAX_STEPS_PER_EVENT = 10_000;
const MAX_STEPS_PER_FEED = 100_000;

type Time = InstanceType<typeof ICAL.Time>;
type Component = InstanceType<typeof ICAL.Component>;
type Event = InstanceType<typeof ICAL.Event>;

export function expandBusy(text: string, options: ExpandOptions): ExpandedFeed {
  const root = parseCalendar(text, new Date(options.fromUtc).getUTCFullYear() - 1);
  const fromMs = Date.parse(options.fromUtc);
  const toMs = Date.parse(options.toUtc);
  const raw: [number, number][] = [];
  let steps = 0;

  const add = (item: Event, start: Time, end: Time) => {
    if (!isBusy(item.component)) return;
    const startMs = instantOf(start, tzidOf(item.component, 'dtstart'), options.timezone);
    const endMs = instantOf(
      end,
      tzidOf(item.component, 'dtend') ?? tzidOf(item.component, 'dtstart'),
      options.timezone,
    );
    const s = Math.max(startMs, fromMs);
    const e = Math.min(endMs, toMs);
    if (e > s) raw.push([s, e]);
  };

  const events = root.getAllSubcomponents('vevent');
  const overrides = new Map<string, Component[]>();
  for (const component of events) {
    if (!component.hasProperty('recurrence-id')) continue;
    const uid = String(component.getFirstPropertyValue('uid') ?? '');
    overrides.set(uid, [...(overrides.get(uid) ?? []), component]);
  }
  const masters = new Set(
    events.filter((c) => !c.hasProperty('recurrence-id')).map((c) => String(c.getFirstPropertyValue('uid') ?? '')),
  );

  for (const component of events) {
    const uid = String(component.getFirstPropertyValue('uid') ?? '');
    const isOverride = component.hasProperty('recurrence-id');
    // An override is expanded with its series; one whose series is not in the feed stands alone.
    if (isOverride && masters.has(uid)) continue;
    if (!component.hasProperty('dtstart')) continue;
    const event = new ICAL.Event(component, isOverride ? {} : { exceptions: overrides.get(uid) ?? [] });
    if (isOverride || !event.isRecurring()) {
      add(event, event.startDate, event.endDate);
      continue;
    }
    const iterator = event.iterator();
    for (let n = 0; n < MAX_STEPS_PER_EVENT && steps < MAX_STEPS_PER_FEED; n++, steps++) {
      const next = iterator.next();
      if (!next) break;
      const details = event.getOccurrenceDetails(next);
      // Occurrences come in start order: past the window's end, the rest are too.
      if (instantOf(next, tzidOf(component, 'dtstart'), options.timezone) >= toMs) break;
      add(details.item, details.startDate, details.endDate);
    }
  }

  const merged = merge(raw);
  return {
    intervals: merged.slice(0, options.maxIntervals).map(([s, e]) => ({
      startUtc: new Date(s).toISOString(),
      endUtc: new Date(e).toISOString(),
    })),
    truncated: merged.length > options.maxIntervals,
    calendarName: textValue(root.getFirstPropertyValue('x-wr-calname')),
  };
}

function parseCalendar(text: string, earliestYear: number): Component {
  if (!/^\s*BEGIN:VCALENDAR/i.test(text)) throw new IcsParseError('The feed is not an iCalendar (ICS) file.');
  let jcal: unknown;
  try {
    jcal = ICAL.parse(text);
  } catch {
    throw new IcsParseError('The feed could not be read as iCalendar (ICS).');
  }
  if (!Array.isArray(jcal) || jcal[0] !== 'vcalendar')
    throw new IcsParseError('The feed is not an iCalendar (ICS) file.');
  startZoneRulesIn(jcal as JCal, earliestYear);
  return new ICAL.Component(jcal as unknown[]);
}

/** A component in jCal (RFC 7265): [name, [[property, params, type, ...values]], [components]]. */
type JCal = [string, [string, Record<string, unknown>, string, ...unknown[]][], JCal[]];

/**
 * Outlook and Exchange start every VTIMEZONE rule in 1601, and ical.js computes a zone's transitions
 * from its DTSTART on: some 800 steps per zone, half a second of CPU per feed (too much for a Worker).
 * A yearly rule still in force gives the same transitions when started at `year` instead, so such a
 * rule's DTSTART is moved to that year (same month, day and time); rules that ended before stay.
 */
function startZoneRulesIn(calendar: JCal, year: number): void {
  for (const zone of calendar[2] ?? []) {
    if (zone[0] !== 'vtimezone') continue;
    for (const rule of zone[2] ?? []) {
      const props = rule[1];
      const dtstart = props.find((p) => p[0] === 'dtstart');
      const rrule = props.find((p) => p[0] === 'rrule')?.[3] as { freq?: string; until?: unknown } | undefined;
      const start = typeof dtstart?.[3] === 'string' ? dtstart[3] : null;
      if (!dtstart || !start || rrule?.freq !== 'YEARLY' || Number(start.slice(0, 4)) >= year) continue;
      if (start.slice(4, 10) === '-02-29') continue;
      if (rrule.until !== undefined && Number(String(rrule.until).slice(0, 4)) < year) continue;
      dtstart[3] = `${year}${start.slice(4)}`;
    }
  }
}

function textValue(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 200) : null;
}

function isBusy(component: Component): boolean {
  const upper = (name: string) => String(component.getFirstPropertyValue(name) ?? '').toUpperCase();
  return (
    upper('status') !== 'CANCELLED' &&
    upper('transp') !== 'TRANSPARENT' &&
    upper('x-microsoft-cdo-busystatus') !== 'FREE'
  );
}

function tzidOf(component: Component, property: 'dtstart' | 'dtend'): string | null {
  const tzid = component.getFirstProperty(property)?.getParameter('tzid');
  return typeof tzid === 'string' && tzid ? tzid : null;
}

/**
 * The UTC instant of an ical.js time: a UTC or VTIMEZONE-defined time through ical.js itself, a
 * floating one (or one with a TZID the file does not define) on a wall clock, a date at its local
 * midnight in the teacher's zone.
 */
function instantOf(time: Time, tzid: string | null, teacherZone: string): number {
  if (time.isDate) return wallToUtc(teacherZone, time.year, time.month, time.day, 0, 0, 0);
  const zone = time.zone;
  const floating = !zone || zone === ICAL.Timezone.localTimezone || zone.tzid === 'floating';
  if (!floating) return time.toUnixTime() * 1000;
  const wallZone = tzid && isValidTimeZone(tzid) ? tzid : teacherZone;
  return wallToUtc(wallZone, time.year, time.month, time.day, time.hour, time.minute, time.second);
}

function wallToUtc(
  zone: string,
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
) {
  const offsets = zoneOffsets(zone);
  // Date.UTC normalises overflow (ical.js may hand 24:00 or day 32 after arithmetic).
  const localMs = Date.UTC(year, month - 1, day, hour, minute, second);
  const dayNumber = Math.floor(localMs / DAY_MS);
  const rest = localMs - dayNumber * DAY_MS;
  const minutes = Math.floor(rest / MINUTE_MS);
  const utc = offsets.localToUtc(dayNumber, minutes);
  if (utc !== null) return utc + (rest - minutes * MINUTE_MS);
  // A time in the spring-forward gap: the offset before the gap moves it forward by the jump.
  return localMs - offsets.offsetAt(localMs - 12 * 3_600_000) * MINUTE_MS;
}

/** Sorted, with overlapping or touching intervals joined. */
function merge(intervals: [number, number][]): [number, number][] {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

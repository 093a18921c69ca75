import type { CalendarBody } from '../contract/schemas.js';
import type { ExternalCalendar, ExternalCalendars } from '../contract/teacher.js';
import { ApiError } from '../contract/errors.js';
import type { AppDeps } from '../deps.js';
import { adminGetTeacher } from '../db/repositories/admin.js';
import {
  deleteCalendarBatch,
  dueCalendars,
  findCalendar,
  insertCalendarBatch,
  listCalendars,
  markFailing,
  markNotModified,
  replaceBusyBatch,
  type CalendarRow,
  type CalendarToSync,
} from '../db/repositories/calendars.js';
import { isConstraintViolation, runBatch } from '../db/store.js';
import { found, notFound } from './lookup.js';
import { expandBusy, IcsParseError } from './ical-expand.js';

/*
 * A teacher's external calendars (ICS feeds of the other platforms they teach on): added, listed,
 * removed and synced. Every function takes (deps, tenantId, teacherId, ...): the admin routes pass the
 * path's teacher, a teacher token's routes the token's, and anyone else's id answers 404 either way.
 *
 * A sync fetches the feed (ETag / If-Modified-Since, a timeout, a size limit), expands it
 * (ical-expand.ts) and replaces the calendar's busy rows in one batch. A failure of any kind keeps the
 * last good rows and says so on the calendar: the grid reads time off rows only, so it never fails
 * because a feed does.
 */

export interface CalendarFetchOptions {
  /** Per fetch, headers and body together. */
  timeoutMs: number;
  /** The most a feed's body may be; a longer one is refused without reading the rest. */
  maxBytes: number;
  /**
   * Also fetch `http:` URLs and loopback or private hosts. Off in production (a feed URL is the caller's
   * choice: without this the server could be asked to read its own network); on for development and
   * tests, whose feeds are served on loopback.
   */
  allowPrivateUrls: boolean;
  /**
   * How a feed is fetched: the global fetch by default (on the Worker, Cloudflare's, which reaches no
   * private network); the Node host gives one whose connections refuse private addresses whatever name
   * led there (api/server/public-fetch.ts), unless `allowPrivateUrls`.
   */
  fetch?: typeof fetch;
}

export const DEFAULT_CALENDAR_FETCH: CalendarFetchOptions = {
  timeoutMs: 10_000,
  maxBytes: 2 * 1024 * 1024,
  allowPrivateUrls: false,
};

export const MAX_CALENDARS_PER_TEACHER = 10;
/** The most busy intervals kept per feed (after merging); the status says when a feed had more. */
export const MAX_BUSY_INTERVALS = 2_000;
/** How stale a calendar may get before the schedule syncs it again. */
export const CALENDAR_SYNC_INTERVAL_MS = 15 * 60_000;
const MAX_REDIRECTS = 3;

function fetchOptions(deps: AppDeps): CalendarFetchOptions {
  return { ...DEFAULT_CALENDAR_FETCH, ...deps.calendars };
}

/**
 * The URL as the wire shows it: no user info, the path's last segment only (Google's and Outlook's secret
 * addresses carry their secret in the path: `/calendar/ical/<id>/private-<secret>/basic.ics`), and any query
 * as `?…` (it often holds the feed's token).
 */
export function urlDisplay(url: string): string {
  try {
    const parsed = new URL(url);
    const segments = parsed.pathname.split('/').filter(Boolean);
    const path = segments.length > 1 ? `/…/${segments.at(-1)}` : parsed.pathname;
    return `${parsed.protocol}//${parsed.host}${path}${parsed.search ? '?…' : ''}`;
  } catch {
    return '(invalid URL)';
  }
}

function toWire(row: CalendarRow): ExternalCalendar {
  return {
    id: row.id,
    teacherId: row.teacherId,
    name: row.name,
    urlDisplay: urlDisplay(row.url),
    status: row.status,
    lastSyncedAt: row.lastSyncedAt,
    lastError: row.lastError,
    busyCount: Number(row.busyCount),
  };
}

const PRIVATE_NAMES = /(^|\.)(localhost|local|internal|lan|home\.arpa)$/i;

/** Loopback, private, link-local, CGNAT and unspecified addresses, IPv4 and IPv6 (also IPv4-mapped). */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (PRIVATE_NAMES.test(host)) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(host)?.[1];
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(mapped ?? host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      a >= 224
    );
  }
  if (host.includes(':')) {
    return (
      host === '::' || host === '::1' || /^f[cd]/.test(host) || /^fe[89ab]/.test(host) || host.startsWith('::ffff:')
    );
  }
  // A name without a dot is a name on some local network.
  return !host.includes('.');
}

/** Why this deployment will not fetch `url`, or null. Checked on add and again on every redirect. */
export function refusedUrl(url: string, allowPrivateUrls: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'The calendar URL is not a valid URL.';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'A calendar URL must be http or https.';
  if (allowPrivateUrls) return null;
  if (parsed.protocol !== 'https:') return 'A calendar URL must use https.';
  if (isPrivateHost(parsed.hostname)) return 'A calendar URL must name a public host.';
  return null;
}

async function teacherOr404(deps: AppDeps, tenantId: string, teacherId: string) {
  return found(await adminGetTeacher(deps.store.db, tenantId, teacherId), () => notFound.teacher(teacherId));
}

const calendarNotFound = (calendarId: string) =>
  new ApiError(404, 'calendar_not_found', `No calendar with id ${calendarId}`, { calendarId });

export async function listExternalCalendars(
  deps: AppDeps,
  tenantId: string,
  teacherId: string,
): Promise<ExternalCalendars> {
  await teacherOr404(deps, tenantId, teacherId);
  return { teacherId, calendars: (await listCalendars(deps.store.db, tenantId, teacherId)).map(toWire) };
}

/** Adds a feed and syncs it once at once: the answer's status tells how that went (a failing feed is still added). */
export async function addExternalCalendar(
  deps: AppDeps,
  tenantId: string,
  teacherId: string,
  body: CalendarBody,
): Promise<ExternalCalendar> {
  await teacherOr404(deps, tenantId, teacherId);
  const refused = refusedUrl(body.url, fetchOptions(deps).allowPrivateUrls);
  if (refused) throw new ApiError(422, 'calendar_url_refused', refused);
  const id = crypto.randomUUID();
  let inserted: boolean;
  try {
    inserted = await runBatch(
      deps.store,
      insertCalendarBatch(deps.store.db, {
        id,
        tenantId,
        teacherId,
        url: body.url,
        name: body.name ?? null,
        maxPerTeacher: MAX_CALENDARS_PER_TEACHER,
        now: deps.now().toISOString(),
      }),
    );
  } catch (error) {
    if (!isConstraintViolation(error)) throw error;
    throw new ApiError(409, 'already_exists', 'This teacher already has a calendar with this URL.');
  }
  if (!inserted) {
    throw new ApiError(
      409,
      'too_many_calendars',
      `A teacher may have at most ${MAX_CALENDARS_PER_TEACHER} external calendars; remove one first.`,
      { max: MAX_CALENDARS_PER_TEACHER },
    );
  }
  return syncExternalCalendar(deps, tenantId, teacherId, id);
}

/** Removes the feed and, in the same batch, every busy interval it put in the teacher's calendar. */
export async function removeExternalCalendar(
  deps: AppDeps,
  tenantId: string,
  teacherId: string,
  calendarId: string,
): Promise<ExternalCalendars> {
  await teacherOr404(deps, tenantId, teacherId);
  const removed = await runBatch(deps.store, deleteCalendarBatch(deps.store.db, tenantId, teacherId, calendarId));
  if (!removed) throw calendarNotFound(calendarId);
  return { teacherId, calendars: (await listCalendars(deps.store.db, tenantId, teacherId)).map(toWire) };
}

export async function syncExternalCalendar(
  deps: AppDeps,
  tenantId: string,
  teacherId: string,
  calendarId: string,
): Promise<ExternalCalendar> {
  await teacherOr404(deps, tenantId, teacherId);
  const calendar = found(await findCalendar(deps.store.db, tenantId, teacherId, calendarId), () =>
    calendarNotFound(calendarId),
  );
  await syncOnce(deps, calendar);
  const after = await findCalendar(deps.store.db, tenantId, teacherId, calendarId);
  // Deleted while it synced: it is gone, which is what the caller would read next.
  return toWire(found(after, () => calendarNotFound(calendarId)));
}

/** A failure a person can act on, worded for `lastError` (never the URL: it may hold a secret). */
class FeedError extends Error {}

type Fetched =
  { kind: 'not_modified' } | { kind: 'copy'; text: string; etag: string | null; lastModified: string | null };

async function syncOnce(deps: AppDeps, calendar: CalendarToSync): Promise<void> {
  const options = fetchOptions(deps);
  const now = deps.now();
  const nowIso = now.toISOString();
  try {
    const fetched = await fetchFeed(calendar, options);
    if (fetched.kind === 'not_modified') {
      await markNotModified(deps.store.db, calendar.tenantId, calendar.id, nowIso);
      return;
    }
    const expanded = expandBusy(fetched.text, {
      timezone: calendar.timezone,
      fromUtc: new Date(now.getTime() - 86_400_000).toISOString(),
      // One day past the horizon: the horizon's last local day is covered in any zone.
      toUtc: new Date(now.getTime() + (Number(calendar.horizonDays) + 1) * 86_400_000).toISOString(),
      maxIntervals: MAX_BUSY_INTERVALS,
    });
    const last = expanded.intervals[expanded.intervals.length - 1];
    const note =
      expanded.truncated && last
        ? `The feed has more than ${MAX_BUSY_INTERVALS.toLocaleString('en')} busy intervals: only those until ` +
          `${last.endUtc.slice(0, 10)} are kept.`
        : null;
    await runBatch(
      deps.store,
      replaceBusyBatch(deps.store.db, {
        tenantId: calendar.tenantId,
        teacherId: calendar.teacherId,
        calendarId: calendar.id,
        intervals: expanded.intervals,
        etag: fetched.etag,
        lastModified: fetched.lastModified,
        note,
        calendarName: expanded.calendarName,
        token: crypto.randomUUID(),
        now: nowIso,
      }),
    );
  } catch (error) {
    if (!(error instanceof FeedError) && !(error instanceof IcsParseError)) throw error;
    await markFailing(deps.store.db, calendar.tenantId, calendar.id, error.message, nowIso);
  }
}

async function fetchFeed(calendar: CalendarToSync, options: CalendarFetchOptions): Promise<Fetched> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  const headers: Record<string, string> = {
    accept: 'text/calendar, text/plain;q=0.9, */*;q=0.5',
    'user-agent': 'SmartPackGrid-Calendar/1',
  };
  if (calendar.etag) headers['if-none-match'] = calendar.etag;
  if (calendar.lastModified) headers['if-modified-since'] = calendar.lastModified;
  let url = calendar.url;
  try {
    for (let hop = 0; ; hop++) {
      const refused = refusedUrl(url, options.allowPrivateUrls);
      if (refused)
        throw new FeedError(hop === 0 ? refused : `The feed redirected to a URL that is refused: ${refused}`);
      // Redirects are followed by hand, so each target passes the same check as the URL itself.
      const response = await (options.fetch ?? fetch)(url, { headers, signal, redirect: 'manual' });
      if (response.status >= 300 && response.status < 400 && response.status !== 304) {
        const location = response.headers.get('location');
        await response.body?.cancel();
        if (!location) throw new FeedError(`The feed answered HTTP ${response.status} without a location.`);
        if (hop >= MAX_REDIRECTS) throw new FeedError('The feed redirected too many times.');
        url = new URL(location, url).toString();
        continue;
      }
      if (response.status === 304) {
        await response.body?.cancel();
        if (!calendar.etag && !calendar.lastModified) throw new FeedError('The feed answered 304 to a plain request.');
        return { kind: 'not_modified' };
      }
      if (response.status >= 400 || response.status < 200) {
        await response.body?.cancel();
        throw new FeedError(`The feed answered HTTP ${response.status}.`);
      }
      const text = await readLimited(response, options.maxBytes);
      return {
        kind: 'copy',
        text,
        etag: response.headers.get('etag'),
        lastModified: response.headers.get('last-modified'),
      };
    }
  } catch (error) {
    if (error instanceof FeedError) throw error;
    const name = (error as { name?: string })?.name;
    if (name === 'TimeoutError' || (name === 'AbortError' && signal.aborted)) {
      throw new FeedError(`The feed did not answer within ${formatSeconds(options.timeoutMs)}.`);
    }
    const code = (error as { cause?: { code?: unknown } })?.cause?.code;
    if (code === 'EPRIVATEADDRESS') throw new FeedError('The calendar URL’s host resolves to a private address.');
    throw new FeedError(`The feed could not be reached${typeof code === 'string' ? ` (${code})` : ''}.`);
  }
}

function formatSeconds(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : seconds.toFixed(1)} ${seconds === 1 ? 'second' : 'seconds'}`;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(0)} MB` : `${Math.round(bytes / 1024)} KB`;
}

/** The body as text, refused as soon as it passes `maxBytes` (the rest is never read). */
async function readLimited(response: Response, maxBytes: number): Promise<string> {
  const tooBig = () => new FeedError(`The feed is larger than ${formatBytes(maxBytes)}.`);
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooBig();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooBig();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(body);
}

export interface CalendarSweepReport {
  synced: number;
  failing: number;
  errors: number;
}

/**
 * Syncs the calendars of every tenant not synced for `CALENDAR_SYNC_INTERVAL_MS`, oldest first and at
 * most `limit`, one after another (a sweep's cost is bounded, and one slow feed delays only its turn).
 */
export async function syncDueCalendars(deps: AppDeps, limit: number): Promise<CalendarSweepReport> {
  const now = deps.now();
  const before = new Date(now.getTime() - CALENDAR_SYNC_INTERVAL_MS).toISOString();
  const report: CalendarSweepReport = { synced: 0, failing: 0, errors: 0 };
  for (const due of await dueCalendars(deps.store.db, before, limit)) {
    try {
      const calendar = await findCalendar(deps.store.db, due.tenantId, due.teacherId, due.id);
      if (!calendar) continue;
      await syncOnce(deps, calendar);
      const after = await findCalendar(deps.store.db, due.tenantId, due.teacherId, due.id);
      if (after?.status === 'failing') report.failing++;
      else report.synced++;
    } catch (error) {
      // One calendar's database trouble must not stop the others'.
      console.error('calendar sync failed', due.id, error);
      report.errors++;
    }
  }
  return report;
}

export interface CalendarRunner {
  stop(): Promise<void>;
  /** Runs one sweep now (after any running one); for tests. */
  sweep(): Promise<CalendarSweepReport | null>;
}

/** The Node host's schedule: a sweep every `intervalMs`, never two at once. */
export function startCalendarRunner(
  deps: AppDeps,
  options: { intervalMs?: number; limit?: number } = {},
): CalendarRunner {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<CalendarSweepReport | null> = Promise.resolve(null);
  const interval = options.intervalMs ?? CALENDAR_SYNC_INTERVAL_MS;
  const sweep = (): Promise<CalendarSweepReport | null> => {
    running = running
      .catch(() => null)
      .then(() => syncDueCalendars(deps, options.limit ?? 50))
      .catch((error: unknown) => {
        console.error('calendar sweep failed', error);
        return null;
      });
    return running;
  };
  const loop = () => {
    if (stopped) return;
    void sweep().finally(() => {
      if (!stopped) timer = setTimeout(loop, interval);
    });
  };
  loop();
  return {
    sweep,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
}

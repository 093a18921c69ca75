import { sql, type Kysely } from 'kysely';
import type { AvailabilityRule, Interval, TeacherSchedule } from '../../core/types.js';
import type { TierTerms } from '../../contract/wire.js';
import type { Database } from '../schema.js';
import type { Store } from '../store.js';
import { TIER_JSON } from './tiers.js';

export interface TeacherScheduleRow {
  teacherId: string;
  /** `scheduleVersionKey`: the schedule version and the earliest live hold's expiry at the read's now. */
  version: string;
  currency: string;
  hourlyRateMinor: number;
  schedule: TeacherSchedule;
}

export interface TeacherProbe {
  /** `scheduleVersionKey` at the probe's now. */
  version: string;
  /** null when no subject was asked about. */
  teachesSubject: boolean | null;
  /** The asked-for tier when the teacher sells it, else null. */
  tier: TierTerms | null;
  /** The tenant's `catalog_version` (0013): tiers, subjects and teachers, for the ETags of public reads. */
  catalogVersion: number;
}

/**
 * The cheapest read a request makes: the teacher's schedule version (to validate a cached
 * schedule), plus the tenant, subject and tier checks the request needs, in one indexed statement.
 * Another tenant's teacher is no row at all (the caller's 404), and so is another tenant's tier.
 */
// Every request runs this; its SQL text is fixed, so it skips Kysely's per-call query building (which cost
// several times the query itself) and its driver's queue: the store runs the prepared statement (Store.read).
/**
 * A hold that lapses changes the schedule with no write, so no trigger bumps schedule_version. What
 * a cache keys on is the version together with the earliest expiry of a hold still live at `now`:
 * when that hold lapses, the next read sees another expiry (or none) and misses the cache, so the
 * grid frees the slot at the very instant. Read in the same statement as the version.
 */
export const NEXT_HOLD_SQL = `(SELECT min(h.hold_expires_at) FROM bookings h
      WHERE h.teacher_id = t.id AND h.status = 'scheduled'
        AND h.hold_expires_at IS NOT NULL AND h.hold_expires_at > ?)`;

export function scheduleVersionKey(version: number, nextHold: string | null): string {
  return nextHold ? `${version}|${nextHold}` : String(version);
}

const PROBE_SQL = `SELECT t.schedule_version AS version, ${NEXT_HOLD_SQL} AS next_hold,
    CASE WHEN ? IS NULL THEN NULL ELSE EXISTS (
      SELECT 1 FROM teacher_subjects ts WHERE ts.teacher_id = t.id AND ts.subject_id = ?) END AS teaches,
    (SELECT ${TIER_JSON}
      FROM package_tiers p WHERE p.id = ? AND p.active = 1
        AND p.tenant_id = t.tenant_id AND (p.teacher_id IS NULL OR p.teacher_id = t.id)) AS tier,
    (SELECT n.catalog_version FROM tenants n WHERE n.id = t.tenant_id) AS catalog
  FROM teachers t WHERE t.id = ? AND t.tenant_id = ?`;

interface RememberedProbe {
  stamp: string;
  /** The probe's now and the earliest live hold's expiry then: between the two, time changes nothing. */
  from: string;
  until: string | null;
  probe: TeacherProbe | undefined;
}
const rememberedProbes = new WeakMap<object, Map<string, RememberedProbe>>();
const MAX_REMEMBERED_PROBES = 2_000;

export async function probeTeacher(
  store: Pick<Store, 'read' | 'changeStamp'>,
  tenantId: string,
  teacherId: string,
  now: string,
  ask: { subjectId?: string | undefined; tierId?: string | undefined } = {},
): Promise<TeacherProbe | undefined> {
  // On Node a probe is remembered against the database's change stamp (one statement that reads no table,
  // against this one's subqueries and JSON): any commit anywhere, by any process, changes the stamp. Its
  // answer depends on time only through the earliest live hold, so it holds from its now until that expiry.
  const stamp = store.changeStamp?.();
  if (stamp === undefined) return (await readProbe(store, tenantId, teacherId, now, ask)).probe;
  let memo = rememberedProbes.get(store);
  if (!memo) rememberedProbes.set(store, (memo = new Map()));
  // NUL for "not asked" (no id contains it): an empty id and no id are different probes.
  const key = `${tenantId}\n${teacherId}\n${ask.subjectId ?? '\0'}\n${ask.tierId ?? '\0'}`;
  const hit = memo.get(key);
  if (hit && hit.stamp === stamp && hit.from <= now && (hit.until === null || now < hit.until)) return hit.probe;
  const read = await readProbe(store, tenantId, teacherId, now, ask);
  memo.delete(key);
  if (memo.size >= MAX_REMEMBERED_PROBES) memo.delete(memo.keys().next().value as string);
  memo.set(key, { stamp, from: now, until: read.nextHold, probe: read.probe });
  return read.probe;
}

async function readProbe(
  store: Pick<Store, 'read'>,
  tenantId: string,
  teacherId: string,
  now: string,
  ask: { subjectId?: string | undefined; tierId?: string | undefined },
): Promise<{ probe: TeacherProbe | undefined; nextHold: string | null }> {
  const rows = await store.read<{
    version: number;
    next_hold: string | null;
    teaches: number | null;
    tier: string | null;
    catalog: number;
  }>(PROBE_SQL, [now, ask.subjectId ?? null, ask.subjectId ?? null, ask.tierId ?? null, teacherId, tenantId]);
  const row = rows[0];
  if (!row) return { probe: undefined, nextHold: null };
  // Frozen: a remembered probe is handed to every later request.
  const tier = row.tier ? (Object.freeze(JSON.parse(row.tier)) as TierTerms) : null;
  return {
    probe: Object.freeze({
      version: scheduleVersionKey(row.version, row.next_hold),
      teachesSubject: row.teaches === null ? null : row.teaches === 1,
      tier,
      catalogVersion: row.catalog,
    }),
    nextHold: row.next_hold,
  };
}

/**
 * Everything the scheduling core needs about one teacher in a single statement: rules, time off
 * and active bookings inside [fromUtc, toUtc), aggregated as JSON so the statement count does not
 * grow with weeks, patterns or bookings. A hold lapsed at `now` is no booking (the slot is free).
 */
export async function loadTeacherSchedule(
  db: Kysely<Database>,
  teacherId: string,
  fromUtc: string,
  toUtc: string,
  now: string,
): Promise<TeacherScheduleRow | undefined> {
  const row = await db
    .selectFrom('teachers as t')
    .select([
      't.id',
      't.timezone',
      't.currency',
      't.hourly_rate_minor',
      't.min_notice_minutes',
      't.horizon_days',
      't.schedule_version',
      sql<string | null>`(SELECT min(h.hold_expires_at) FROM bookings h
        WHERE h.teacher_id = t.id AND h.status = 'scheduled'
          AND h.hold_expires_at IS NOT NULL AND h.hold_expires_at > ${now})`.as('next_hold'),
      sql<string>`(SELECT json_group_array(json_object('weekday', r.weekday, 'startTime', r.start_time, 'endTime', r.end_time))
        FROM availability_rules r WHERE r.teacher_id = t.id)`.as('rules'),
      sql<string>`(SELECT json_group_array(json_object('startUtc', o.start_utc, 'endUtc', o.end_utc))
        FROM time_off o WHERE o.teacher_id = t.id AND o.end_utc > ${fromUtc} AND o.start_utc < ${toUtc})`.as(
        'time_off',
      ),
      sql<string>`(SELECT json_group_array(json_object('startUtc', b.start_utc, 'endUtc', b.end_utc))
        FROM bookings b WHERE b.teacher_id = t.id AND b.status IN ('scheduled', 'completed')
          AND (b.hold_expires_at IS NULL OR b.hold_expires_at > ${now})
          AND b.end_utc > ${fromUtc} AND b.start_utc < ${toUtc})`.as('bookings'),
    ])
    .where('t.id', '=', teacherId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    teacherId: row.id,
    version: scheduleVersionKey(row.schedule_version, row.next_hold),
    currency: row.currency,
    hourlyRateMinor: row.hourly_rate_minor,
    schedule: {
      timezone: row.timezone,
      rules: JSON.parse(row.rules) as AvailabilityRule[],
      timeOff: JSON.parse(row.time_off) as Interval[],
      bookings: JSON.parse(row.bookings) as Interval[],
      minNoticeMinutes: row.min_notice_minutes,
      horizonDays: row.horizon_days,
    },
  };
}

import { DAY_MS, MINUTE_MS } from '../core/index.js';
import type { Store } from './store.js';
import {
  loadTeacherSchedule,
  probeTeacher,
  type TeacherProbe,
  type TeacherScheduleRow,
} from './repositories/schedule.js';

/** Loaded rows cover one day back and a year plus a week ahead, so they stay valid for a while. */
const LOOK_BACK_MS = DAY_MS;
const LOOK_AHEAD_MS = 374 * DAY_MS;
const TTL_MS = 10 * MINUTE_MS;

interface Entry<T> {
  version: string;
  loadedAt: number;
  value: T;
}

/**
 * Teacher schedules keyed on `teachers.schedule_version`, which triggers bump on every change to
 * rules, time off or bookings, together with the earliest live hold's expiry (a lapse is a change
 * nothing writes; `scheduleVersionKey`). Each request pays one indexed read of the version; the schedule
 * itself (one larger read) is reloaded only when it changed. Safe across processes sharing one
 * database file: the version lives in the database, not here.
 */
export class ScheduleSource {
  readonly #schedules = new Map<string, Entry<TeacherScheduleRow>>();
  readonly #derived = new Map<string, Entry<unknown>>();
  /** Schedules loaded and values derived (memo misses): what a test reads to see a 304 computed nothing. */
  readonly work = { loads: 0, derivations: 0 };

  constructor(
    private readonly store: Store,
    private readonly maxEntries = 1_000,
  ) {}

  /**
   * The teacher's probe (version, subject, tier) and current schedule; undefined if the tenant has no
   * such teacher. The probe checks the tenant, so a cached schedule is only ever served after it.
   */
  async load(
    tenantId: string,
    teacherId: string,
    now: Date,
    ask: { subjectId?: string | undefined; tierId?: string | undefined } = {},
  ): Promise<{ probe: TeacherProbe; row: TeacherScheduleRow } | undefined> {
    const probe = await probeTeacher(this.store, tenantId, teacherId, now.toISOString(), ask);
    if (!probe) return undefined;
    const row = await this.at(teacherId, probe.version, now);
    return row && { probe, row };
  }

  /**
   * The schedule at a version the caller has just read (e.g. in its own context query, which checked
   * the teacher's tenant).
   */
  async at(teacherId: string, version: string, now: Date): Promise<TeacherScheduleRow | undefined> {
    const hit = this.#schedules.get(teacherId);
    const age = now.getTime() - (hit?.loadedAt ?? 0);
    if (hit && hit.version === version && age >= 0 && age < TTL_MS) return hit.value;
    const row = await loadTeacherSchedule(
      this.store.db,
      teacherId,
      new Date(now.getTime() - LOOK_BACK_MS).toISOString(),
      new Date(now.getTime() + LOOK_AHEAD_MS).toISOString(),
      now.toISOString(),
    );
    this.work.loads++;
    if (!row) return undefined;
    this.#remember(this.#schedules, teacherId, { version: row.version, loadedAt: now.getTime(), value: row });
    return row;
  }

  /**
   * Memoises a pure function of (schedule, key) for the schedule's version, e.g. the weekly grid
   * for one duration, window and minute. Callers put everything the result depends on in `key`.
   */
  derive<T>(row: TeacherScheduleRow, key: string, compute: () => T): T {
    const fullKey = `${row.teacherId}|${key}`;
    const hit = this.#derived.get(fullKey);
    if (hit && hit.version === row.version) return hit.value as T;
    const value = compute();
    this.work.derivations++;
    this.#remember(this.#derived, fullKey, { version: row.version, loadedAt: 0, value });
    return value;
  }

  #remember<T>(map: Map<string, Entry<T>>, key: string, entry: Entry<T>): void {
    map.delete(key);
    map.set(key, entry);
    // Maps iterate in insertion order, so the first key is the least recently stored.
    if (map.size > this.maxEntries) map.delete(map.keys().next().value as string);
  }
}

import Database from 'better-sqlite3';
import { client, type Client } from './http.js';
import { ADMIN_KEY, startServerAt, type ApiTarget } from './target.js';
import { buildScenario, purchaseBody, type Scenario } from './scenario.js';
import { parentFor } from './parents.js';
import type { RecurringPattern } from '../../api/core/types.js';

/**
 * The same database seen at another instant: a second server (Node or Worker, like the target) on
 * the target's database with its own pinned clock. Lets a test buy a package "now" and complete or
 * expire it "later" without any job or clock mocking; everything still goes over HTTP.
 */
export interface Later {
  url: string;
  api: Client;
  admin: Client;
  close(): Promise<void>;
}

export async function serverAt(target: ApiTarget, now: string): Promise<Later> {
  const server = await startServerAt(target, now);
  return {
    url: server.url,
    api: client(server.url),
    admin: client(server.url, { authorization: `Bearer ${ADMIN_KEY}` }),
    close: () => server.close(),
  };
}

/** Runs `fn` with a server at `now`, closing it afterwards. */
export async function at<T>(target: ApiTarget, now: string, fn: (later: Later) => Promise<T>): Promise<T> {
  const later = await serverAt(target, now);
  try {
    return await fn(later);
  } finally {
    await later.close();
  }
}

/** Read-only SQL straight from the database file, to check what the API left behind. */
export function query<T = Record<string, unknown>>(target: ApiTarget | string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(typeof target === 'string' ? target : target.databasePath, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/** Active bookings of a teacher that overlap one another (must always be 0). */
export function overlapCount(target: ApiTarget | string, teacherId: string): number {
  return query<{ n: number }>(
    target,
    `SELECT count(*) AS n FROM bookings a JOIN bookings b
       ON a.teacher_id = b.teacher_id AND a.id < b.id AND a.start_utc < b.end_utc AND b.start_utc < a.end_utc
     WHERE a.teacher_id = ? AND a.status IN ('scheduled','completed') AND b.status IN ('scheduled','completed')`,
    teacherId,
  )[0]!.n;
}

export function notifications(target: ApiTarget, packageId: string) {
  return query<{ event_type: string; booking_id: string | null; payload: string; dedupe_key: string | null }>(
    target,
    'SELECT event_type, booking_id, payload, dedupe_key FROM notifications WHERE package_id = ? ORDER BY id',
    packageId,
  ).map((row) => ({ ...row, payload: JSON.parse(row.payload) as any }));
}

/** A scenario with one purchased package (Monday 16:00 in Africa/Khartoum unless told otherwise). */
export async function scenarioWithPackage(
  target: ApiTarget,
  options: Parameters<typeof buildScenario>[1] & { patterns?: RecurringPattern[] } = {},
): Promise<{ s: Scenario; pack: any }> {
  const s = await buildScenario(target, options);
  const response = await s.parent.api.post(
    '/packages',
    purchaseBody(s, options.patterns ?? [{ weekday: 'MONDAY', time: '16:00' }]),
  );
  if (response.status !== 201) throw new Error(`purchase: ${response.status} ${JSON.stringify(response.body)}`);
  return { s, pack: response.body };
}

/** Another family's student buying from the same teacher. */
export async function secondPackage(s: Scenario, patterns: RecurringPattern[]): Promise<any> {
  const other = await parentFor(s);
  const response = await other.api.post('/packages', { ...purchaseBody(s, patterns), studentId: other.studentIds[0] });
  if (response.status !== 201) throw new Error(`purchase: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

import type { AvailabilityRule, Weekday } from '../../api/core/types.js';
import { ADMIN_KEY, type ApiTarget } from './target.js';
import { client, type Client } from './http.js';
import { parentFor, type Parent } from './parents.js';

/**
 * Builds teachers, tiers and students through the admin API, the way a school would, so the same
 * scenarios run against any target.
 */
export interface Scenario {
  /** The target's base URL. */
  url: string;
  api: Client;
  admin: Client;
  teacherId: string;
  subjectId: string;
  studentId: string;
  tierId: string;
  /** The student's family: its token buys and manages the scenario's packages (`parent.api`). */
  parent: Parent;
}

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

export const WEEKDAY_RULES = (days: Weekday[], startTime: string, endTime: string): AvailabilityRule[] =>
  days.map((weekday) => ({ weekday, startTime, endTime }));

export async function buildScenario(
  target: ApiTarget,
  options: {
    timezone?: string;
    rules?: AvailabilityRule[];
    hourlyRateMinor?: number;
    currency?: string;
    tier?: Partial<{
      sessionCount: number;
      recurringCount: number;
      floatingCount: number;
      discountPercent: number;
      gracePeriodDays: number;
      rescheduleLimit: number;
      sessionMinutes: number;
    }>;
    minNoticeMinutes?: number;
    /** Build in a tenant: its secret key for /admin, its publishable key for the public routes. */
    keys?: { secretKey: string; publishableKey: string };
  } = {},
): Promise<Scenario> {
  const api = client(target.url, options.keys ? { 'x-publishable-key': options.keys.publishableKey } : {});
  const admin = client(target.url, { authorization: `Bearer ${options.keys?.secretKey ?? ADMIN_KEY}` });
  const subjectId = unique('subject');
  const must = (response: { status: number; body: unknown }, what: string) => {
    if (response.status >= 300) throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as any;
  };
  must(await admin.post('/admin/subjects', { id: subjectId, name: 'Mathematics', nameAr: 'الرياضيات' }), 'subject');
  const teacher = must(
    await admin.post('/admin/teachers', {
      name: 'Test Teacher',
      timezone: options.timezone ?? 'Africa/Khartoum',
      hourlyRateMinor: options.hourlyRateMinor ?? 500_000,
      currency: options.currency ?? 'SDG',
      minNoticeMinutes: options.minNoticeMinutes ?? 1440,
      subjectIds: [subjectId],
    }),
    'teacher',
  );
  must(
    await admin.put(`/admin/teachers/${teacher.id}/availability-rules`, {
      rules:
        options.rules ??
        WEEKDAY_RULES(['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'SATURDAY'], '09:00', '19:00'),
    }),
    'rules',
  );
  const tier = must(
    await admin.post('/admin/tiers', {
      teacherId: teacher.id,
      name: '10 sessions',
      sessionCount: 10,
      recurringCount: 8,
      floatingCount: 2,
      discountPercent: 10,
      gracePeriodDays: 14,
      rescheduleLimit: 2,
      sessionMinutes: 60,
      ...options.tier,
    }),
    'tier',
  );
  // The tenant's own server vouches for the family (its secret key); the parent's calls carry its key too.
  const parent = await parentFor(
    target,
    undefined,
    options.keys ? { key: options.keys.secretKey, publishableKey: options.keys.publishableKey } : {},
  );
  return {
    url: target.url,
    api,
    admin,
    teacherId: teacher.id,
    subjectId,
    studentId: parent.studentIds[0]!,
    tierId: tier.id,
    parent,
  };
}

export function purchaseBody(
  s: Scenario,
  patterns: { weekday: string; time: string }[],
  extra: Record<string, unknown> = {},
) {
  return {
    studentId: s.studentId,
    teacherId: s.teacherId,
    subjectId: s.subjectId,
    tierId: s.tierId,
    recurringPatterns: patterns,
    idempotencyKey: unique('key-abcdefgh'),
    ...extra,
  };
}

export async function addBooking(s: Scenario, startUtc: string, minutes = 60) {
  const endUtc = new Date(new Date(startUtc).getTime() + minutes * 60_000).toISOString();
  const response = await s.admin.post(`/admin/teachers/${s.teacherId}/bookings`, { startUtc, endUtc });
  if (response.status !== 201) throw new Error(`booking: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function addTimeOff(s: Scenario, startUtc: string, endUtc: string) {
  const response = await s.admin.post(`/admin/teachers/${s.teacherId}/time-off`, { startUtc, endUtc, reason: 'test' });
  if (response.status !== 201) throw new Error(`time off: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

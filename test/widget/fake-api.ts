/**
 * In-page fake of the Smart Pack HTTP API, installed as `window.fetch`.
 *
 * It implements the contract the widget relies on with a deterministic calendar, so the browser
 * tests exercise the element's behaviour (debounce, ordering, idempotency, conflicts) without a
 * server. The real-API end-to-end test lives elsewhere.
 *
 * Teacher `t1`, Africa/Khartoum (UTC+2, no DST), SDG. Series start Monday 2026-01-05.
 *   SUNDAY    16:00 free · 17:00 free
 *   MONDAY    16:00 free · 17:00 free · 18:00 partial 6/8 (booked on weeks 1 and 3)
 *   TUESDAY   16:00 free · 18:00 free
 *   WEDNESDAY 16:00 free · 17:00 partial 7/8 (booked on week 2) · 18:00 free
 *   THURSDAY  16:00 taken every week · 17:00 free
 *   FRIDAY    —
 *   SATURDAY  10:00 free
 */
import type {
  Conflict,
  GridDay,
  MultiSlotAvailability,
  PatternReport,
  RecurringPattern,
  Resolution,
  ScheduledSession,
  SlotRef,
  Weekday,
  WeeklyGrid,
} from '../../api/contract/wire.js';
import type { PackageView, PurchasedPackage, Tier } from '../../widget/api-client.js';

export const WEEKDAYS: Weekday[] = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
const START = '2026-01-05'; // a Monday
const TZ_OFFSET_H = 2;

const OFFER: Record<Weekday, string[]> = {
  SUNDAY: ['16:00', '17:00'],
  MONDAY: ['16:00', '17:00', '18:00'],
  TUESDAY: ['16:00', '18:00'],
  WEDNESDAY: ['16:00', '17:00', '18:00'],
  THURSDAY: ['16:00', '17:00'],
  FRIDAY: [],
  SATURDAY: ['10:00'],
};

export const TIERS: Tier[] = [
  {
    id: 'tier-10',
    name: 'Smart Pack 10',
    nameAr: 'الباقة الذكية 10',
    sessionCount: 10,
    recurringCount: 8,
    floatingCount: 2,
    discountPercent: 15,
    gracePeriodDays: 14,
    rescheduleLimit: 2,
    sessionMinutes: 60,
    listPriceMinor: 150000,
    priceMinor: 127500,
    savingsMinor: 22500,
    currency: 'SDG',
  },
  {
    id: 'tier-5',
    name: 'Smart Pack 5',
    nameAr: null,
    sessionCount: 5,
    recurringCount: 4,
    floatingCount: 1,
    discountPercent: 5,
    gracePeriodDays: 7,
    rescheduleLimit: 1,
    sessionMinutes: 60,
    listPriceMinor: 75000,
    priceMinor: 71250,
    savingsMinor: 3750,
    currency: 'SDG',
  },
];

export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + n)).toISOString().slice(0, 10);
}
const weekdayOf = (date: string): Weekday => WEEKDAYS[new Date(date + 'T12:00:00Z').getUTCDay()]!;
const toUtc = (date: string, time: string) => {
  const [h, m] = time.split(':').map(Number);
  const [y, mo, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y!, mo! - 1, d!, h! - TZ_OFFSET_H, m!)).toISOString();
};
const slot = (date: string, time: string): SlotRef => ({
  date,
  time,
  weekday: weekdayOf(date),
  startUtc: toUtc(date, time),
  endUtc: toUtc(date, `${String(Number(time.slice(0, 2)) + 1).padStart(2, '0')}:${time.slice(3)}`),
});
/** First date on or after START with this weekday, plus `week` weeks. */
export const occurrence = (weekday: Weekday, week: number) =>
  addDays(START, ((WEEKDAYS.indexOf(weekday) - 1 + 7) % 7) + 7 * week);

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: any;
  headers: Headers;
  signal: AbortSignal | null | undefined;
}

/** The parent token the fake accepts by default: one guardian with two children, as the demo's. */
export const PARENT_TOKEN = 'parent-token-demo';
export const CHILDREN = [
  { id: 'student-demo', name: 'Sara Osman', nameAr: 'سارة عثمان' },
  // As a school may: one child named in Arabic, one not.
  { id: 'student-demo-2', name: 'Adam Osman', nameAr: null },
];

type PurchaseFault = 'network-before' | 'network-after-commit' | 'slot_taken' | 'server-error';

export class FakeApi {
  readonly requests: RecordedRequest[] = [];
  /** Bookings as `date time`; pre-seeded so some slots are partial or taken. */
  readonly booked = new Set<string>([
    `${occurrence('MONDAY', 1)} 18:00`,
    `${occurrence('MONDAY', 3)} 18:00`,
    `${occurrence('WEDNESDAY', 2)} 17:00`,
    ...Array.from({ length: 20 }, (_, w) => `${occurrence('THURSDAY', w)} 16:00`),
  ]);
  /** Per-call delays (ms) for the next checks, consumed in order. */
  checkDelays: number[] = [];
  /**
   * Answer the grid as the real API does for a first screen: with `include=tiers` the tiers ride along, with
   * `lang` the zones' names (as "<zone> in <lang>", so a test can tell them from the browser's own).
   */
  firstScreen = false;
  /** Refuse a grid request that carries `lang` or `viewerTimeZone` with a 400, as for a tag the API does not know. */
  refuseHints = false;
  /** Faults for the next purchases, consumed in order. */
  purchaseFaults: PurchaseFault[] = [];
  /** Paths (regex) that fail with a network error until cleared. */
  failing: RegExp | null = null;
  /** Never answer these paths (to hold the loading state). */
  hanging: RegExp | null = null;
  empty = false;
  /** The weekly times the teacher offers (a test may add some, e.g. an early one a viewer in the west sees a day earlier). */
  offer: Record<Weekday, string[]> = { ...OFFER };
  /** Parent tokens and the children each names (what `POST /auth/parent-tokens` would have minted). */
  readonly parents = new Map<
    string,
    { guardianId: string; students: { id: string; name: string; nameAr?: string | null }[] }
  >([[PARENT_TOKEN, { guardianId: 'guardian-demo', students: CHILDREN }]]);
  readonly packages = new Map<string, { body: string; pkg: PurchasedPackage }>();
  /**
   * Pay to confirm, as the API: 'required' answers a purchase `pending_payment` with a hold of `holdMs`
   * from the fake's clock; 'none' (the default here, like a school that invoices) answers `active` at once.
   */
  paymentMode: 'required' | 'none' = 'none';
  holdMs = 15 * 60_000;
  /** The fake server's clock (ms); move it past a hold's end to see `hold_expired`. */
  now = Date.parse(NOW_ISO);
  /** Packages by id, with what the fake's "partner server" did to them. */
  readonly byId = new Map<string, { pkg: PurchasedPackage; confirmed: boolean; cancelled: boolean }>();
  private original = window.fetch;

  install(): this {
    this.original = window.fetch;
    window.fetch = (input, init) => this.handle(input, init);
    return this;
  }

  uninstall(): void {
    window.fetch = this.original;
  }

  checks(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith('check-multi-slot-availability'));
  }

  purchases(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/packages'));
  }

  packageReads(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'GET' && /^\/packages\/[^/]+$/.test(r.path));
  }

  /** What the partner's server does after its checkout: `POST /packages/:id/confirm`. */
  confirm(id: string): void {
    this.byId.get(id)!.confirmed = true;
  }

  /** The package as `GET /packages/:id` would answer it now. */
  view(id: string): PackageView {
    const entry = this.byId.get(id)!;
    const { manage: _m, ...pkg } = entry.pkg;
    if (entry.cancelled) return { ...pkg, state: 'cancelled' };
    if (pkg.state !== 'pending_payment') return pkg;
    if (entry.confirmed)
      return { ...pkg, state: 'active', holdExpiresAt: null, paymentReference: 'pay-1', confirmedAt: NOW_ISO };
    if (this.now >= Date.parse(pkg.holdExpiresAt!)) {
      // As the API: a lapsed hold frees its slots at once.
      for (const s of pkg.sessions) this.booked.delete(`${s.date} ${s.time}`);
      return { ...pkg, state: 'hold_expired' };
    }
    return pkg;
  }

  private async handle(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const url = new URL(String(input), location.href);
    const method = (init.method ?? 'GET').toUpperCase();
    const body = init.body ? JSON.parse(String(init.body)) : undefined;
    const req: RecordedRequest = {
      method,
      path: url.pathname,
      query: url.searchParams,
      body,
      headers: new Headers(init.headers),
      signal: init.signal,
    };
    this.requests.push(req);
    await Promise.resolve();
    if (this.hanging?.test(url.pathname)) return new Promise(() => {});
    if (this.failing?.test(url.pathname)) throw new TypeError('Failed to fetch');
    const p = url.pathname;
    if (p === '/marketplace/teachers') return json({ teachers: [] });
    // As the API: a teacher the school does not have, or a tier it does not sell, is a 404 with its code.
    const teacher = /^\/marketplace\/teachers\/([^/]+)\//.exec(p)?.[1];
    if (teacher && teacher !== 't1')
      return json({ error: { code: 'teacher_not_found', message: 'Teacher not found', details: { teacher } } }, 404);
    const tierId = url.searchParams.get('tierId');
    if (tierId && !TIERS.some((t) => t.id === tierId))
      return json({ error: { code: 'tier_not_found', message: 'Tier not found', details: { tierId } } }, 404);
    if (/^\/marketplace\/teachers\/[^/]+\/tiers$/.test(p))
      return json({ teacherId: 't1', timezone: 'Africa/Khartoum', currency: 'SDG', tiers: TIERS });
    if (/^\/marketplace\/teachers\/[^/]+\/weekly-availability$/.test(p)) {
      const q = url.searchParams;
      if (this.refuseHints && (q.has('lang') || q.has('viewerTimeZone')))
        return json(
          { error: { code: 'validation_error', message: 'Invalid query', details: { lang: 'unknown' } } },
          400,
        );
      if (!this.firstScreen) return json(this.grid(q));
      const lang = q.get('lang');
      const zones = [...new Set(['Africa/Khartoum', q.get('viewerTimeZone') ?? 'Africa/Khartoum'])];
      return json({
        ...this.grid(q),
        ...(q.get('include') === 'tiers'
          ? { tiers: { teacherId: 't1', timezone: 'Africa/Khartoum', currency: 'SDG', tiers: TIERS } }
          : {}),
        ...(lang ? { zoneLabels: Object.fromEntries(zones.map((z) => [z, `${z} in ${lang}`])) } : {}),
      });
    }
    if (p === '/packages/check-multi-slot-availability') {
      const delay = this.checkDelays.shift() ?? 0;
      // Deliberately ignores the AbortSignal: a real server may still answer a superseded request,
      // and the widget must not let that late answer win.
      if (delay) await new Promise((r) => setTimeout(r, delay));
      const dup = new Set(body.patterns.map((x: RecurringPattern) => `${x.weekday} ${x.time}`));
      if (dup.size !== body.patterns.length)
        return json({ error: { code: 'invalid_patterns', message: 'Duplicate weekly times', details: {} } }, 422);
      const tier = TIERS.find((t) => t.id === body.tierId) ?? TIERS[0]!;
      return json(this.check(body.patterns, tier, body.resolutions ?? []));
    }
    if (p === '/auth/me') {
      const parent = this.parentOf(req.headers);
      const students = parent?.students.map((s) => ({ nameAr: null, ...s }));
      return parent ? json({ ...parent, students, expiresAt: '2026-11-30T07:00:00.000Z' }) : unauthorized();
    }
    if (p === '/packages' && method === 'POST') {
      // As the API: a valid parent token first, then a student it names.
      const parent = this.parentOf(req.headers);
      if (!parent) return unauthorized();
      if (!parent.students.some((x) => x.id === body?.studentId)) {
        const details = { studentId: body?.studentId };
        return json({ error: { code: 'student_not_in_token', message: 'Not your child', details } }, 403);
      }
      return this.purchase(body, req.headers);
    }
    const one = /^\/packages\/([^/]+)(\/cancel)?$/.exec(p);
    if (one && this.byId.has(one[1]!)) {
      const id = one[1]!;
      const entry = this.byId.get(id)!;
      // The guardian's parent token or this package's manage token; anything else is not told it exists.
      const auth = req.headers.get('authorization') ?? '';
      if (!this.parentOf(req.headers) && auth !== `Bearer ${entry.pkg.manage.token}`) return notFound();
      if (method === 'GET' && !one[2]) return json(this.view(id));
      if (method === 'POST' && one[2]) {
        if (this.view(id).state !== 'pending_payment')
          return json({ error: { code: 'package_not_pending', message: 'Not pending', details: {} } }, 409);
        entry.cancelled = true;
        for (const s of entry.pkg.sessions) this.booked.delete(`${s.date} ${s.time}`);
        return json(this.view(id));
      }
    }
    return notFound();
  }

  private parentOf(headers: Headers) {
    const auth = headers.get('authorization') ?? '';
    return auth.startsWith('Bearer ') ? this.parents.get(auth.slice(7)) : undefined;
  }

  grid(q: URLSearchParams): WeeklyGrid {
    const weeks = Number(q.get('weeks') ?? 8);
    const availability: GridDay[] = WEEKDAYS.map((weekday) => ({
      weekday,
      slots: this.empty
        ? []
        : this.offer[weekday].map((time) => {
            const free = Array.from(
              { length: weeks },
              (_, w) => !this.booked.has(`${occurrence(weekday, w)} ${time}`),
            ).filter(Boolean).length;
            return {
              time,
              available: free > 0,
              status: free === weeks ? 'free' : free === 0 ? 'unavailable' : 'partial',
              freeWeeks: free,
              weeks,
              ...(free < weeks ? { reason: 'booked' as const } : {}),
            };
          }),
    }));
    return {
      teacherId: 't1',
      timezone: 'Africa/Khartoum',
      durationMinutes: 60,
      weeks,
      windowStart: toUtc(START, '00:00'),
      windowEnd: toUtc(addDays(START, weeks * 7), '00:00'),
      availability,
    };
  }

  check(patterns: RecurringPattern[], tier: Tier, resolutions: Resolution[]): MultiSlotAvailability {
    const wanted = tier.recurringCount;
    const occ: { date: string; time: string; index: number }[] = [];
    for (let w = 0; w < 30; w++)
      patterns.forEach((p, index) => occ.push({ date: occurrence(p.weekday, w), time: p.time, index }));
    occ.sort((a, b) => (a.date + a.time).localeCompare(b.date + b.time));
    const reports: PatternReport[] = patterns.map((p) => ({ ...p, availableWeeks: 0, conflicts: [] }));
    const sessions: Omit<ScheduledSession, 'sessionNumber'>[] = [];
    let floated = 0;
    for (const o of occ) {
      if (sessions.length >= wanted - floated) break;
      if (!this.booked.has(`${o.date} ${o.time}`)) {
        sessions.push({ ...slot(o.date, o.time), patternIndex: o.index });
        reports[o.index]!.availableWeeks++;
        continue;
      }
      const res = resolutions.find((r) => r.date === o.date && r.time === o.time);
      const action = res?.action ?? 'extend';
      const conflict: Conflict = {
        date: o.date,
        time: o.time,
        weekday: weekdayOf(o.date),
        startUtc: toUtc(o.date, o.time),
        reason: 'booked',
        alternatives: this.alternatives(o.date, o.time),
        resolution: action,
      };
      reports[o.index]!.conflicts.push(conflict);
      if (res?.action === 'alternative')
        sessions.push({ ...slot(res.alternative.date, res.alternative.time), patternIndex: null });
      if (action === 'float') floated++;
    }
    sessions.sort((a, b) => a.startUtc.localeCompare(b.startUtc));
    const scheduled = sessions.map((s, i) => ({ ...s, sessionNumber: i + 1 }));
    const first = scheduled[0];
    const last = scheduled[scheduled.length - 1];
    const weeksNeeded = last ? Math.floor((Date.parse(last.date) - Date.parse(START)) / (7 * 86400000)) + 1 : 0;
    return {
      available: scheduled.length === wanted - floated,
      timezone: 'Africa/Khartoum',
      patterns: reports,
      scheduledSessions: scheduled,
      recurringSessionCount: wanted - floated,
      floated,
      totalWeeksNeeded: weeksNeeded,
      firstSession: first?.startUtc ?? null,
      lastSession: last?.startUtc ?? null,
      packageEndDate: last ? new Date(Date.parse(last.startUtc) + tier.gracePeriodDays * 86400000).toISOString() : null,
      message: `All ${scheduled.length} sessions can be scheduled across ${weeksNeeded} weeks`,
    };
  }

  /** Same day other offered free times, then the same time on other days that week; at most 3. */
  private alternatives(date: string, time: string): SlotRef[] {
    const wd = weekdayOf(date);
    const out: SlotRef[] = [];
    for (const t of OFFER[wd]) if (t !== time && !this.booked.has(`${date} ${t}`)) out.push(slot(date, t));
    for (let d = 1; d < 7; d++) {
      const other = addDays(date, d);
      if (OFFER[weekdayOf(other)].includes(time) && !this.booked.has(`${other} ${time}`)) out.push(slot(other, time));
    }
    return out.slice(0, 3);
  }

  private purchase(body: any, headers: Headers): Response {
    const key = headers.get('Idempotency-Key') ?? body.idempotencyKey;
    const { idempotencyKey: _k, ...rest } = body;
    const canonical = JSON.stringify(rest);
    const fault = this.purchaseFaults.shift();
    if (fault === 'network-before') throw new TypeError('Failed to fetch');
    if (fault === 'server-error') return json({ error: { code: 'internal', message: 'Boom', details: {} } }, 500);
    const seen = this.packages.get(key);
    if (seen) {
      if (seen.body !== canonical)
        return json({ error: { code: 'idempotency_key_reused', message: 'Key reused', details: {} } }, 409);
      return json(seen.pkg, 200);
    }
    if (fault === 'slot_taken') {
      // Someone else books the first session of the first pattern just before us.
      const p = body.recurringPatterns[0] as RecurringPattern;
      const date = occurrence(p.weekday, 0);
      this.booked.add(`${date} ${p.time}`);
      const availability = this.check(
        body.recurringPatterns,
        TIERS.find((t) => t.id === body.tierId)!,
        body.resolutions ?? [],
      );
      return json(
        {
          error: {
            code: 'slot_taken',
            message: 'A slot was just taken',
            details: { conflicts: [{ date, time: p.time, weekday: p.weekday }], availability },
          },
        },
        409,
      );
    }
    const tier = TIERS.find((t) => t.id === body.tierId)!;
    const av = this.check(body.recurringPatterns, tier, body.resolutions ?? []);
    const id = `pkg-${this.packages.size + 1}`;
    const pending = this.paymentMode === 'required';
    const created = new Date(this.now).toISOString();
    const pkg: PurchasedPackage = {
      id,
      manage: { token: `manage-${id}`, url: `/pack/${id}?t=manage-${id}`, expiresAt: '2027-01-01T00:00:00.000Z' },
      studentId: body.studentId,
      teacherId: body.teacherId,
      subjectId: body.subjectId,
      teacherName: 'Amna Hassan',
      teacherNameAr: 'آمنة حسن',
      subjectName: 'Mathematics',
      subjectNameAr: 'الرياضيات',
      holdExpiresAt: pending ? new Date(this.now + this.holdMs).toISOString() : null,
      paymentReference: null,
      confirmedAt: pending ? null : created,
      tierId: tier.id,
      state: pending ? 'pending_payment' : 'active',
      recurringPatterns: body.recurringPatterns,
      sessionCount: tier.sessionCount,
      recurringSessionCount: av.scheduledSessions.length,
      floatingSessionCount: tier.floatingCount + av.floated,
      floatingSessionsUsed: 0,
      floatingSessionsLeft: tier.floatingCount + av.floated,
      floatingSessionsExpired: 0,
      rescheduleLimit: tier.rescheduleLimit,
      changeNoticeHours: 24,
      sessionMinutes: 60,
      firstScheduledSession: av.firstSession,
      lastScheduledSession: av.lastSession,
      gracePeriodEnds: av.packageEndDate,
      priceMinor: tier.priceMinor,
      currency: tier.currency,
      timezone: 'Africa/Khartoum',
      sessions: av.scheduledSessions.map((s) => ({
        id: `s-${s.sessionNumber}`,
        sessionNumber: s.sessionNumber,
        kind: 'recurring',
        status: 'scheduled',
        startUtc: s.startUtc,
        endUtc: s.endUtc,
        date: s.date,
        time: s.time,
        weekday: s.weekday,
        rescheduleCount: 0,
        reschedulesLeft: tier.rescheduleLimit,
        escrowMinor: Math.round(tier.priceMinor / tier.sessionCount),
        flaggedReason: null,
        flaggedAt: null,
        revision: 0,
        completedAt: null,
        cancelledAt: null,
        cancelReason: null,
        attendance: null,
        updatedAt: NOW_ISO,
        changeableUntil: new Date(Date.parse(s.startUtc) - 24 * 3_600_000).toISOString(),
        canReschedule: true,
        canFloat: true,
        alternatives: [],
      })),
      escrow: {
        heldMinor: tier.priceMinor,
        releasedMinor: 0,
        refundedMinor: 0,
        remainingMinor: tier.priceMinor,
        refundDueMinor: 0,
      },
      flaggedSessionCount: 0,
      calendarPath: `/packages/${id}/calendar.ics?token=feed-${id}`,
      createdAt: created,
    };
    this.byId.set(id, { pkg, confirmed: false, cancelled: false });
    for (const s of av.scheduledSessions) this.booked.add(`${s.date} ${s.time}`);
    this.packages.set(key, { body: canonical, pkg });
    if (fault === 'network-after-commit') throw new TypeError('Failed to fetch');
    return json(pkg, 201);
  }
}

// The fake server's own clock for timestamps it stamps on rows.
const NOW_ISO = '2026-11-30T06:00:00.000Z';

function notFound(): Response {
  return json({ error: { code: 'not_found', message: 'Not found', details: {} } }, 404);
}

function unauthorized(): Response {
  return json({ error: { code: 'unauthorized', message: 'Send a parent token', details: null } }, 401);
}

function json(data: unknown, status = 200): Response {
  return new Response(JSON.stringify(data), { status, headers: { 'content-type': 'application/json' } });
}

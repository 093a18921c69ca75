/**
 * In-page fake of the package lifecycle API (`GET /packages/:id`, `/marketplace/teachers/:id/slots`,
 * reschedule, floating sessions, float), installed as `window.fetch`. Its responses are typed with
 * the server's own view types, so the contract the element relies on is checked at compile time.
 *
 * Teacher `t1` in Africa/Khartoum (UTC+2, no DST). Dates are relative to the real today, because
 * the element asks for free slots from the teacher's today. Free times: 10:00 and 11:00 every day
 * except those sessions take. Package `p1`: 4 recurring sessions at 16:00 on days +3, +10, +17,
 * +24; 2 floating credits; reschedule limit 2; ends 14 days after the last session.
 */
import type { SlotRef, Weekday } from '../../api/contract/wire.js';
import type { DatedSlots, SessionOutcome } from '../../api/contract/wire.js';
import type { PackageSessionView, PackageView } from '../../api/contract/wire.js';

const WEEKDAYS: Weekday[] = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
const OFFSET_MS = 2 * 3_600_000;
const DAY_MS = 86_400_000;

export const todayLocal = (): string => new Date(Date.now() + OFFSET_MS).toISOString().slice(0, 10);
export const plusDays = (date: string, n: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

export function slotOf(date: string, time: string, minutes = 60): SlotRef {
  const start = Date.parse(`${date}T${time}:00.000Z`) - OFFSET_MS;
  return {
    date,
    time,
    weekday: WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()]!,
    startUtc: new Date(start).toISOString(),
    endUtc: new Date(start + minutes * 60_000).toISOString(),
  };
}

const json = (body: unknown, status = 200) =>
  Promise.resolve(new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
const error = (status: number, code: string, message: string) =>
  json({ error: { code, message, details: {} } }, status);

interface FakeSession {
  id: string;
  sessionNumber: number;
  kind: 'recurring' | 'floating';
  status: 'scheduled' | 'completed' | 'cancelled';
  slot: SlotRef;
  rescheduleCount: number;
  flaggedReason: string | null;
  alternatives: SlotRef[];
  /** Why a cancelled session was cancelled, when not by the parent's float or the pack's cancellation. */
  cancelReason?: string;
}

/** The `t` of the package's manage link, and the read-only token of its calendar feed. */
export const MANAGE_TOKEN = 'manage-token-p1';
export const FEED_TOKEN = 'feed-token-p1';

export class FakePackageApi {
  readonly requests: { method: string; path: string; search: string; body: unknown; authorization: string | null }[] =
    [];
  rescheduleLimit = 2;
  floatingCount = 2;
  floatingUsed = 0;
  recurringCount = 4;
  state: PackageView['state'] = 'active';
  /** While `pending_payment`: when the hold lapses. */
  holdExpiresAt: string | null = null;
  /** Escrow released to the teacher so far, and refunded (the price is 60,000 minor units). */
  releasedMinor = 0;
  refundedMinor = 0;
  /** Slots a competitor books just before the parent: the next booking of them answers 409 slot_taken. */
  takenNext = new Set<string>();
  readonly taken = new Set<string>();
  sessions: FakeSession[];
  readonly gracePeriodEnds: string;
  private original = window.fetch;

  constructor() {
    const today = todayLocal();
    this.sessions = [3, 10, 17, 24].map((d, i) => ({
      id: `s${i + 1}`,
      sessionNumber: i + 1,
      kind: 'recurring',
      status: 'scheduled',
      slot: slotOf(plusDays(today, d), '16:00'),
      rescheduleCount: 0,
      flaggedReason: null,
      alternatives: [],
    }));
    this.gracePeriodEnds = slotOf(plusDays(today, 24 + 14), '16:00').startUtc;
  }

  install(): this {
    this.original = window.fetch;
    window.fetch = (input, init) => this.handle(input, init);
    return this;
  }

  uninstall(): void {
    window.fetch = this.original;
  }

  session(id: string): FakeSession {
    return this.sessions.find((s) => s.id === id)!;
  }

  flag(id: string, alternatives: SlotRef[]): void {
    Object.assign(this.session(id), { flaggedReason: 'teacher_time_off', alternatives });
  }

  view(): PackageView {
    const now = new Date().toISOString();
    const expired = this.state === 'expired';
    const unused = this.floatingCount - this.floatingUsed;
    // In the order they were written (a floating session last, whatever its date): the element orders them.
    const sessions: PackageSessionView[] = [...this.sessions].map((s) => {
      const flagged = s.status === 'scheduled' && s.flaggedReason !== null;
      const changeableUntil =
        s.status !== 'scheduled'
          ? null
          : flagged
            ? s.slot.startUtc
            : new Date(Date.parse(s.slot.startUtc) - DAY_MS).toISOString();
      const changeable = this.state === 'active' && changeableUntil !== null && now < changeableUntil;
      return {
        id: s.id,
        sessionNumber: s.sessionNumber,
        kind: s.kind,
        status: s.status,
        startUtc: s.slot.startUtc,
        endUtc: s.slot.endUtc,
        date: s.slot.date,
        time: s.slot.time,
        weekday: s.slot.weekday,
        rescheduleCount: s.rescheduleCount,
        reschedulesLeft: Math.max(0, this.rescheduleLimit - s.rescheduleCount),
        escrowMinor: 10_000,
        flaggedReason: s.flaggedReason,
        flaggedAt: s.flaggedReason ? now : null,
        revision: s.rescheduleCount,
        completedAt: null,
        cancelledAt: s.status === 'cancelled' ? now : null,
        cancelReason:
          s.status === 'cancelled'
            ? (s.cancelReason ?? (this.state === 'cancelled' ? 'pack_cancelled' : 'floated'))
            : null,
        updatedAt: now,
        changeableUntil,
        canReschedule: changeable && (flagged || s.rescheduleCount < this.rescheduleLimit),
        canFloat: changeable,
        alternatives: flagged ? s.alternatives : [],
        attendance: null,
      };
    });
    return {
      id: 'p1',
      studentId: 'student-demo',
      teacherId: 't1',
      holdExpiresAt: this.holdExpiresAt,
      paymentReference: null,
      confirmedAt: null,
      subjectId: 'math',
      teacherName: 'Amna Hassan',
      teacherNameAr: 'آمنة حسن',
      subjectName: 'Mathematics',
      subjectNameAr: 'الرياضيات',
      tierId: 'tier-6',
      state: this.state,
      recurringPatterns: [{ weekday: this.sessions[0]!.slot.weekday, time: '16:00' }],
      sessionCount: 6,
      recurringSessionCount: this.recurringCount,
      floatingSessionCount: this.floatingCount,
      floatingSessionsUsed: this.floatingUsed,
      floatingSessionsLeft: expired ? 0 : unused,
      floatingSessionsExpired: expired ? unused : 0,
      rescheduleLimit: this.rescheduleLimit,
      changeNoticeHours: 24,
      sessionMinutes: 60,
      firstScheduledSession: this.sessions[0]!.slot.startUtc,
      lastScheduledSession: this.sessions[3]!.slot.startUtc,
      gracePeriodEnds: this.gracePeriodEnds,
      priceMinor: 60_000,
      currency: 'SDG',
      timezone: 'Africa/Khartoum',
      sessions,
      escrow: {
        heldMinor: this.state === 'pending_payment' || this.state === 'hold_expired' ? 0 : 60_000,
        releasedMinor: this.releasedMinor,
        refundedMinor: this.refundedMinor,
        remainingMinor:
          this.state === 'pending_payment' || this.state === 'hold_expired'
            ? 0
            : 60_000 - this.releasedMinor - this.refundedMinor,
        refundDueMinor: 0,
      },
      flaggedSessionCount: sessions.filter((s) => s.status === 'scheduled' && s.flaggedReason).length,
      calendarPath: `/packages/p1/calendar.ics?token=${FEED_TOKEN}`,
      createdAt: now,
    };
  }

  private outcome(sessionId: string, status = 200) {
    const pkg = this.view();
    const body: SessionOutcome = { session: pkg.sessions.find((s) => s.id === sessionId)!, package: pkg };
    return json(body, status);
  }

  private busy(slot: SlotRef): boolean {
    return (
      this.taken.has(slot.startUtc) ||
      this.sessions.some((s) => s.status !== 'cancelled' && s.slot.startUtc === slot.startUtc)
    );
  }

  private async handle(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
      location.href,
    );
    const method = (init?.method ?? 'GET').toUpperCase();
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    const authorization = new Headers(init?.headers).get('authorization');
    this.requests.push({ method, path: url.pathname, search: url.search, body, authorization });
    const p = url.pathname;
    await new Promise((r) => setTimeout(r, 5));
    // Like the API: the package's routes need its manage token (or the guardian's parent token).
    if (p.startsWith('/packages/') && authorization !== `Bearer ${MANAGE_TOKEN}`)
      return error(401, 'unauthorized', 'Send the manage token.');

    if (method === 'GET' && p === '/packages/p1') return json(this.view());
    // Another family's package, or none: the API answers 404 alike.
    if (method === 'GET' && /^\/packages\/[^/]+$/.test(p)) return error(404, 'package_not_found', 'No such package');
    if (method === 'POST' && p === '/packages/p1/cancel') {
      if (this.state !== 'active' && this.state !== 'pending_payment')
        return error(409, 'package_cancelled', 'Already cancelled');
      const paid = this.state === 'active';
      for (const s of this.sessions) if (s.status === 'scheduled') s.status = 'cancelled';
      if (paid) this.refundedMinor = 60_000 - this.releasedMinor;
      this.state = 'cancelled';
      return json(this.view());
    }
    if (method === 'GET' && p === '/marketplace/teachers/t1/slots') {
      const from = url.searchParams.get('from')!;
      const to = url.searchParams.get('to')!;
      const slots: SlotRef[] = [];
      for (let d = from; d <= to; d = plusDays(d, 1)) {
        for (const time of ['10:00', '11:00']) {
          const slot = slotOf(d, time, Number(url.searchParams.get('duration')));
          // Like the server: nothing inside the 24 h notice.
          if (!this.busy(slot) && Date.parse(slot.startUtc) >= Date.now() + DAY_MS) slots.push(slot);
        }
      }
      const answer: DatedSlots = { teacherId: 't1', timezone: 'Africa/Khartoum', durationMinutes: 60, from, to, slots };
      return json(answer);
    }
    const reschedule = /^\/packages\/p1\/sessions\/([^/]+)\/reschedule$/.exec(p);
    if (method === 'POST' && reschedule) {
      const s = this.session(reschedule[1]!);
      const slot = slotOf(body.date, body.time);
      if (this.takenNext.delete(slot.startUtc)) {
        this.taken.add(slot.startUtc);
        return error(409, 'slot_taken', 'That slot was just booked by someone else; please pick another.');
      }
      if (!s.flaggedReason && s.rescheduleCount >= this.rescheduleLimit)
        return error(409, 'reschedule_limit_reached', 'Limit reached');
      if (!s.flaggedReason) s.rescheduleCount++;
      Object.assign(s, { slot, flaggedReason: null, alternatives: [] });
      return this.outcome(s.id);
    }
    if (method === 'POST' && p === '/packages/p1/floating-sessions') {
      if (this.floatingUsed >= this.floatingCount) return error(409, 'no_floating_sessions_left', 'None left');
      const slot = slotOf(body.date, body.time);
      if (this.takenNext.delete(slot.startUtc)) {
        this.taken.add(slot.startUtc);
        return error(409, 'slot_taken', 'Taken');
      }
      this.floatingUsed++;
      const id = `f${this.sessions.length + 1}`;
      this.sessions.push({
        id,
        sessionNumber: this.sessions.length + 1,
        kind: 'floating',
        status: 'scheduled',
        slot,
        rescheduleCount: 0,
        flaggedReason: null,
        alternatives: [],
      });
      return this.outcome(id, 201);
    }
    const float = /^\/packages\/p1\/sessions\/([^/]+)\/float$/.exec(p);
    if (method === 'POST' && float) {
      const s = this.session(float[1]!);
      s.status = 'cancelled';
      if (s.kind === 'recurring') {
        this.recurringCount--;
        this.floatingCount++;
      } else this.floatingUsed--;
      return this.outcome(s.id);
    }
    return error(404, 'not_found', `No route for ${method} ${p}`);
  }
}

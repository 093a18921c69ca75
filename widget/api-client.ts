/**
 * Typed fetch client for the Smart Pack HTTP API.
 *
 * Built on `hono/client` typed with the server's `AppType`; the component depends only on the
 * `SmartPackClient` interface. Every call takes an AbortSignal so a superseded request is
 * cancelled on the wire, not just ignored.
 *
 * Only types are imported from api/ (`import type`): the bundle must not pull any server code.
 */
import { hc } from 'hono/client';
import type { AppType } from '../api/app.js';
import type {
  ErrorBody,
  MultiSlotAvailability,
  RecurringPattern,
  Resolution,
  Weekday,
  WeeklyGrid,
} from '../api/core/types.js';

export interface SubjectSummary {
  id: string;
  name: string;
  nameAr: string | null;
}

export interface TeacherSummary {
  id: string;
  name: string;
  nameAr: string | null;
  bio: string | null;
  timezone: string;
  currency: string;
  hourlyRateMinor: number;
  subjects: SubjectSummary[];
}

export interface Tier {
  id: string;
  name: string;
  sessionCount: number;
  recurringCount: number;
  floatingCount: number;
  discountPercent: number;
  gracePeriodDays: number;
  rescheduleLimit: number;
  sessionMinutes: number;
  listPriceMinor: number;
  priceMinor: number;
  savingsMinor: number;
  currency: string;
}

export interface TiersResponse {
  teacherId: string;
  timezone: string;
  currency: string;
  tiers: Tier[];
}

export interface CheckRequest {
  teacherId: string;
  tierId?: string;
  patterns: RecurringPattern[];
  recurringSessionCount?: number;
  duration?: number;
  resolutions?: Resolution[];
}

export interface PurchaseRequest {
  studentId: string;
  teacherId: string;
  subjectId: string;
  tierId: string;
  recurringPatterns: RecurringPattern[];
  resolutions?: Resolution[];
  idempotencyKey: string;
}

export interface PackageSession {
  id: string;
  /** Null for floating sessions, which are numbered only once booked. */
  sessionNumber: number | null;
  kind: string;
  status: string;
  startUtc: string;
  endUtc: string;
  date: string;
  time: string;
  weekday: Weekday;
  rescheduleCount: number;
  escrowMinor: number;
}

export interface PackageView {
  id: string;
  studentId: string;
  teacherId: string;
  subjectId: string;
  tierId: string;
  state: string;
  recurringPatterns: RecurringPattern[];
  sessionCount: number;
  recurringSessionCount: number;
  floatingSessionCount: number;
  floatingSessionsUsed: number;
  floatingSessionsLeft: number;
  rescheduleLimit: number;
  sessionMinutes: number;
  firstScheduledSession: string | null;
  lastScheduledSession: string | null;
  gracePeriodEnds: string | null;
  priceMinor: number;
  currency: string;
  timezone: string;
  sessions: PackageSession[];
  escrow: { heldMinor: number; releasedMinor: number; refundedMinor: number };
}

export interface SlotTakenDetails {
  conflicts: Array<{ date: string; time: string; weekday?: Weekday }>;
  availability?: MultiSlotAvailability;
}

export interface GridQuery {
  subjectId?: string;
  weeks?: number;
  tierId?: string;
}

export interface SmartPackClient {
  teachers(signal?: AbortSignal): Promise<TeacherSummary[]>;
  tiers(teacherId: string, subjectId: string | undefined, signal?: AbortSignal): Promise<TiersResponse>;
  weeklyGrid(teacherId: string, query: GridQuery, signal?: AbortSignal): Promise<WeeklyGrid>;
  check(body: CheckRequest, signal?: AbortSignal): Promise<MultiSlotAvailability>;
  purchase(body: PurchaseRequest, signal?: AbortSignal): Promise<PackageView>;
  getPackage(id: string, signal?: AbortSignal): Promise<PackageView>;
}

/** The server answered with an error body; `status` is the HTTP status. Network failures stay TypeErrors. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * @param apiBase origin and path prefix of the API; "" means same origin.
 * @param fetchImpl defaults to the global fetch, looked up per call so a page (or a test) can swap it.
 */
export function createFetchClient(apiBase: string, fetchImpl?: typeof fetch): SmartPackClient {
  // hono/client typed by the server's routes: a renamed route or field stops the widget compiling.
  const api = hc<AppType>(apiBase.replace(/\/+$/, ''), {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => (fetchImpl ?? globalThis.fetch)(input, init),
  });
  async function read<T>(pending: Promise<Response>): Promise<T> {
    const res = await pending;
    const text = await res.text();
    let json: unknown = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      // A proxy's HTML error page: fall through to the generic error below.
    }
    if (!res.ok) {
      const err = (json as ErrorBody | undefined)?.error;
      throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? res.statusText, err?.details);
    }
    return json as T;
  }
  const options = (signal?: AbortSignal, headers?: Record<string, string>) => ({
    init: { signal: signal ?? null },
    headers: { accept: 'application/json', ...headers },
  });
  // hono/client pastes path params verbatim; ids come from attributes, so encode them here.
  const id = encodeURIComponent;
  const defined = <T extends Record<string, unknown>>(query: T) =>
    Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined && v !== '')) as T;
  const teacher = api.marketplace.teachers[':teacherId'];
  return {
    teachers: async (signal) =>
      (await read<{ teachers: TeacherSummary[] }>(api.marketplace.teachers.$get({ query: {} }, options(signal)))).teachers,
    tiers: (teacherId, subjectId, signal) =>
      read(teacher.tiers.$get({ param: { teacherId: id(teacherId) }, query: defined({ subjectId }) }, options(signal))),
    weeklyGrid: (teacherId, q, signal) =>
      read(
        teacher['weekly-availability'].$get(
          {
            param: { teacherId: id(teacherId) },
            query: defined({ subjectId: q.subjectId, tierId: q.tierId, weeks: q.weeks === undefined ? undefined : String(q.weeks) }),
          },
          options(signal),
        ),
      ),
    check: (body, signal) => read(api.packages['check-multi-slot-availability'].$post({ json: body }, options(signal))),
    purchase: (body, signal) =>
      read(api.packages.$post({ json: body, header: {} }, options(signal, { 'Idempotency-Key': body.idempotencyKey }))),
    getPackage: (packageId, signal) => read(api.packages[':id'].$get({ param: { id: id(packageId) } }, options(signal))),
  };
}

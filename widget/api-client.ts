/**
 * Typed fetch client for the Smart Pack HTTP API.
 *
 * The component only depends on the `SmartPackClient` interface, so a `hono/client` (`hc<AppType>`)
 * adapter can replace this one without touching the element. Every call takes an AbortSignal so a
 * superseded request is cancelled on the wire, not just ignored.
 *
 * Wire types come from api/core/types.ts as `import type` only: the bundle must not pull any
 * server code.
 */
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
  const base = apiBase.replace(/\/+$/, '');
  async function call<T>(path: string, init: RequestInit & { signal?: AbortSignal | undefined }): Promise<T> {
    const res = await (fetchImpl ?? globalThis.fetch)(base + path, {
      ...init,
      headers: { accept: 'application/json', ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
    });
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
  const qs = (q: Record<string, string | number | undefined>) => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, String(v));
    const s = p.toString();
    return s ? `?${s}` : '';
  };
  const post = (body: unknown, signal?: AbortSignal, headers?: Record<string, string>) => ({
    method: 'POST',
    body: JSON.stringify(body),
    signal,
    headers,
  });
  const t = encodeURIComponent;
  return {
    teachers: async (signal) =>
      (await call<{ teachers: TeacherSummary[] }>('/marketplace/teachers', { signal })).teachers,
    tiers: (teacherId, subjectId, signal) =>
      call(`/marketplace/teachers/${t(teacherId)}/tiers${qs({ subjectId })}`, { signal }),
    weeklyGrid: (teacherId, q, signal) =>
      call(`/marketplace/teachers/${t(teacherId)}/weekly-availability${qs({ ...q })}`, { signal }),
    check: (body, signal) => call('/packages/check-multi-slot-availability', post(body, signal)),
    purchase: (body, signal) =>
      call('/packages', post(body, signal, { 'Idempotency-Key': body.idempotencyKey })),
    getPackage: (id, signal) => call(`/packages/${t(id)}`, { signal }),
  };
}

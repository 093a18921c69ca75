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
import type { ExtractSchema } from 'hono/types';
import type { AppType } from '../api/contract/app-type.js';
import type { ErrorBody, ErrorCode } from '../api/contract/errors.js';
import type {
  ManageLink,
  MultiSlotAvailability,
  PackageSessionView,
  ParentIdentity,
  PackageView,
  PurchasedPackage,
  RecurringPattern,
  Resolution,
  SubjectSummary,
  TeacherListing,
  TierOffer,
  TiersResponse,
  Weekday,
  WeeklyGridAnswer,
} from '../api/contract/wire.js';

// One definition of each wire shape (api/contract/wire.ts), under the names the widget uses.
export type { ManageLink, PackageView, ParentIdentity, PurchasedPackage, SubjectSummary, TiersResponse };
export type TeacherSummary = TeacherListing;
export type Tier = TierOffer;
export type PackageSession = PackageSessionView;

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

export interface SlotTakenDetails {
  conflicts: Array<{ date: string; time: string; weekday?: Weekday }>;
  availability?: MultiSlotAvailability;
}

export interface GridQuery {
  subjectId?: string;
  weeks?: number;
  tierId?: string;
  /** `tiers`: the answer carries the teacher's tiers too, so the first screen is one request. */
  include?: 'tiers';
  /** The answer names the teacher's zone (and `viewerTimeZone`) in this language (`zoneLabels`). */
  lang?: string;
  viewerTimeZone?: string;
}

export interface SmartPackClient {
  teachers(signal?: AbortSignal): Promise<TeacherSummary[]>;
  tiers(teacherId: string, subjectId: string | undefined, signal?: AbortSignal): Promise<TiersResponse>;
  /** The weekly grid; a client may leave out `tiers` and `zoneLabels` (the element then asks `tiers` and uses `Intl`). */
  weeklyGrid(teacherId: string, query: GridQuery, signal?: AbortSignal): Promise<WeeklyGridAnswer>;
  check(body: CheckRequest, signal?: AbortSignal): Promise<MultiSlotAvailability>;
  /** `POST /packages`: `pending_payment` while the school collects the payment, `active` when it needs none. */
  purchase(body: PurchaseRequest, signal?: AbortSignal): Promise<PurchasedPackage>;
  /** `GET /packages/:id`, with `token` (the purchase's manage token) as the bearer when given, else the parent token. */
  getPackage(id: string, signal?: AbortSignal, token?: string): Promise<PackageView>;
  /** `POST /packages/:id/cancel` of a package still waiting for its payment: the held slots are freed. */
  cancelPackage?(id: string, token?: string, signal?: AbortSignal): Promise<PackageView>;
  /** Who the parent token names (`GET /auth/me`), for the child chooser; a client without it offers no chooser. */
  parent?(signal?: AbortSignal): Promise<ParentIdentity>;
}

/** `Authorization` for a parent (or manage) token; none without one. */
export const bearer = (token: string | undefined): Record<string, string> =>
  token ? { authorization: `Bearer ${token}` } : {};

/** The API's own code, or `http_<status>` when the answer had no error body (e.g. a proxy's error page). */
export type ApiErrorCode = ErrorCode | `http_${number}`;

/** Widget texts for refusals, by code: a code the API does not have does not compile. */
export type ErrorMessages = Partial<Record<ErrorCode, string>>;

/** The server answered with an error body; `status` is the HTTP status. Network failures stay TypeErrors. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The widget's own text for a refusal when it has one, else the server's (English) message. */
export function refusalMessage(error: ApiError, messages: ErrorMessages): string {
  const byCode: Readonly<Record<string, string | undefined>> = messages;
  return byCode[error.code] ?? error.message;
}

/** The JSON body of a response, or the server's `{ error }` as an ApiError (network failures stay TypeErrors). */
export async function readJson<T>(pending: Promise<Response>): Promise<T> {
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

/**
 * `hono/client` typed by the server's routes: a renamed route or field stops the widget compiling.
 * @internal Its type is the server's route table; the published declarations leave it out.
 */
export function typedClient(apiBase: string, fetchImpl?: typeof fetch, publishableKey: () => string = () => '') {
  return hc<AppType>(apiBase.replace(/\/+$/, ''), {
    fetch: (input: RequestInfo | URL, init?: RequestInit) => (fetchImpl ?? globalThis.fetch)(input, init),
    // The school's publishable key scopes every call to its tenant; read per call, like the token.
    headers: (): Record<string, string> => {
      const key = publishableKey();
      return key ? { 'x-publishable-key': key } : {};
    },
  });
}

/** The server's routes (types only): each path with its methods, and what each method accepts. @internal */
type Routes = ExtractSchema<AppType>;
type Verb = '$get' | '$post';
/** @internal */
type RouteInput<P extends keyof Routes, V extends Verb> = Routes[P] extends Record<V, { input: infer I }> ? I : never;

/** The last tagged answer of each GET (URL, key and token): sent back as If-None-Match, reused on a 304. */
const kept = new Map<string, [tag: string, body: string]>();

/**
 * One call of a route the server declares, with its own input shape (`param`, `query`, `json`): a renamed
 * route, parameter or field stops the widget compiling, as with `hono/client`, for a fraction of its bytes
 * (the grid's bundle carries no client library). Path parameters are URL-encoded; empty query values dropped.
 * @internal Its type is the server's route table; the published declarations leave it out.
 */
export function callRoute<P extends keyof Routes & string, V extends Verb>(
  base: string,
  fetchImpl: typeof fetch | undefined,
  verb: V,
  path: P,
  input: RouteInput<P, V>,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<Response> {
  const {
    param = {},
    query = {},
    json,
  } = input as {
    param?: Record<string, string>;
    query?: Record<string, string | undefined>;
    json?: unknown;
  };
  // "/" stays as it is (RFC 3986 allows it in a query): a zone id such as Asia/Tokyo then needs no escape, and
  // the API's fast path for the grid takes only unescaped query strings.
  const search = Object.entries(query)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v).replace(/%2F/gi, '/')}`)
    .join('&');
  const url = `${base.replace(/\/+$/, '')}${path.replace(/:(\w+)/g, (_, k: string) => encodeURIComponent(param[k] ?? ''))}${search ? `?${search}` : ''}`;
  const init: RequestInit = { method: verb === '$get' ? 'GET' : 'POST', headers, signal: signal ?? null };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    headers['content-type'] = 'application/json';
  }
  const doFetch = fetchImpl ?? globalThis.fetch;
  if (verb !== '$get') return doFetch(url, init);
  // A revalidation instead of a refetch: the server answers 304 without computing the grid again.
  const memo = `${url} ${headers['x-publishable-key']} ${headers.authorization}`;
  const last = kept.get(memo);
  if (last) headers['if-none-match'] = last[0];
  return doFetch(url, init).then(async (res) => {
    if (res.status === 304 && last) return new Response(last[1], { headers: { 'content-type': 'application/json' } });
    const tag = res.headers.get('etag');
    if (res.ok && tag) kept.set(memo, [tag, await res.clone().text()]);
    return res;
  });
}

/**
 * @param apiBase origin and path prefix of the API; "" means same origin.
 * @param fetchImpl defaults to the global fetch, looked up per call so a page (or a test) can swap it.
 * @param token the parent token, read per call (the element's `parent-token` may change).
 */
export function createFetchClient(
  apiBase: string,
  fetchImpl?: typeof fetch,
  token: () => string = () => '',
  publishableKey: () => string = () => '',
): SmartPackClient {
  const call = <P extends keyof Routes & string, V extends Verb, T>(
    verb: V,
    path: P,
    input: RouteInput<P, V>,
    signal?: AbortSignal,
    extra?: Record<string, string>,
  ): Promise<T> => {
    const key = publishableKey();
    const headers = { accept: 'application/json', ...(key ? { 'x-publishable-key': key } : {}), ...extra };
    return readJson<T>(callRoute(apiBase, fetchImpl, verb, path, input, headers, signal));
  };
  return {
    teachers: async (signal) =>
      (
        await call<'/marketplace/teachers', '$get', { teachers: TeacherSummary[] }>(
          '$get',
          '/marketplace/teachers',
          { query: {} },
          signal,
        )
      ).teachers,
    tiers: (teacherId, subjectId, signal) =>
      call('$get', '/marketplace/teachers/:teacherId/tiers', { param: { teacherId }, query: { subjectId } }, signal),
    weeklyGrid: (teacherId, q, signal) =>
      call(
        '$get',
        '/marketplace/teachers/:teacherId/weekly-availability',
        {
          param: { teacherId },
          query: {
            subjectId: q.subjectId,
            tierId: q.tierId,
            weeks: q.weeks === undefined ? undefined : String(q.weeks),
            include: q.include,
            lang: q.lang,
            viewerTimeZone: q.viewerTimeZone,
          },
        },
        signal,
      ),
    check: (body, signal) => call('$post', '/packages/check-multi-slot-availability', { json: body }, signal),
    purchase: (body, signal) =>
      call('$post', '/packages', { json: body, header: {} } as RouteInput<'/packages', '$post'>, signal, {
        'Idempotency-Key': body.idempotencyKey,
        ...bearer(token()),
      }),
    getPackage: (id, signal, manageToken) =>
      call('$get', '/packages/:id', { param: { id } }, signal, bearer(manageToken || token())),
    cancelPackage: (id, manageToken, signal) =>
      call('$post', '/packages/:id/cancel', { param: { id } }, signal, bearer(manageToken || token())),
    parent: (signal) => call('$get', '/auth/me', {} as RouteInput<'/auth/me', '$get'>, signal, bearer(token())),
  };
}

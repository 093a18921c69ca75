import type { Context } from 'hono';
import type { Store } from './db/store.js';
import type { ScheduleSource } from './db/schedule-source.js';
import type { RateLimits } from './services/rate-limit.js';
import type { CalendarFetchOptions } from './services/external-calendars.js';
import type { SharedCache } from './routes/http-cache.js';

/** What the app needs from its host (Node server, Worker, tests); nothing else is global. */
export interface AppDeps {
  store: Store;
  schedules: ScheduleSource;
  /** The clock; tests and the demo pin it. */
  now: () => Date;
  /** Bearer token for `/admin`. */
  adminApiKey: string;
  /**
   * Origins allowed to call the public API from a browser for tenants that name none of their own
   * (`allowedOrigins` null, e.g. the default tenant); `*` for any partner site.
   */
  corsOrigin: string | string[];
  /**
   * The caller's IP address for the per-IP limits, from what the runtime knows (the Node socket, the
   * Worker's `CF-Connecting-IP`); null when unknown, which counts every such caller in one bucket.
   */
  clientIp?: (c: Context) => string | null;
  /** Abuse limits over `DEFAULT_RATE_LIMITS` (api/services/rate-limit.ts). */
  rateLimits?: Partial<RateLimits>;
  /**
   * The tenant of public requests that send no publishable key (the demo's); null: such requests are
   * refused with 401.
   */
  defaultTenantId: string | null;
  /**
   * Whether a request comes from this machine, as the host knows it: the socket's peer address on
   * Node (never the Host header), the URL's host on the Worker. Only the demo admin key asks.
   */
  isLoopbackRequest: (c: Context) => boolean;
  /**
   * How teachers' external calendars are fetched, over `DEFAULT_CALENDAR_FETCH`
   * (api/services/external-calendars.ts): timeout, size limit, and whether http and private hosts are
   * allowed (not in production).
   */
  calendars?: Partial<CalendarFetchOptions>;
  /** The Worker's `caches.default` for the shared public reads (api/routes/http-cache.ts); none on Node. */
  sharedCache?: SharedCache | undefined;
}

/** The real clock, or one pinned at an ISO instant (the hosts' `NOW`, for demos and tests). */
export function clockFrom(pinned: string | undefined): () => Date {
  if (!pinned) return () => new Date();
  const fixed = new Date(pinned);
  if (Number.isNaN(fixed.getTime())) throw new Error(`NOW must be an ISO instant, got ${pinned}`);
  return () => new Date(fixed);
}

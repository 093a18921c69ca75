import type { Store } from './db/store.js';
import type { ScheduleSource } from './services/schedule-source.js';

/** What the app needs from its host (Node server, Worker, tests); nothing else is global. */
export interface AppDeps {
  store: Store;
  schedules: ScheduleSource;
  /** The clock; tests and the demo pin it. */
  now: () => Date;
  /** Bearer token for `/admin`. */
  adminApiKey: string;
  /** Origins allowed to call the public API from a browser; `*` for any partner site. */
  corsOrigin: string | string[];
}

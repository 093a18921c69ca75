import type { D1Database } from '@cloudflare/workers-types';
import { createApp } from './app.js';
import { openD1Store } from './db/d1.js';
import type { AppDeps } from './deps.js';
import { ScheduleSource } from './services/schedule-source.js';

/** Bindings and vars from wrangler.toml (`[vars]`, secrets, `--var` on `wrangler dev`). */
export interface Env {
  DB: D1Database;
  ADMIN_API_KEY?: string;
  /** Pinned clock (ISO instant) for tests and the demo; the real clock when unset. */
  NOW?: string;
  /** Comma-separated origins allowed to call the public API from a browser; `*` when unset. */
  CORS_ORIGIN?: string;
}

function clock(pinned: string | undefined): () => Date {
  if (!pinned) return () => new Date();
  const fixed = new Date(pinned);
  if (Number.isNaN(fixed.getTime())) throw new Error(`NOW must be an ISO instant, got ${pinned}`);
  return () => new Date(fixed);
}

function buildApp(env: Env) {
  const store = openD1Store(env.DB);
  const deps: AppDeps = {
    store,
    // Lives as long as the isolate; it stays correct across isolates because every read
    // checks teachers.schedule_version in D1 first.
    schedules: new ScheduleSource(store),
    now: clock(env.NOW),
    // An empty key locks /admin (requireAdmin refuses everything) rather than opening it.
    adminApiKey: env.ADMIN_API_KEY ?? '',
    corsOrigin: env.CORS_ORIGIN ? env.CORS_ORIGIN.split(',').map((origin) => origin.trim()) : '*',
  };
  return createApp(deps);
}

// Built on the first request of each isolate: env is only available inside fetch, and building
// per request would throw away the schedule cache.
let app: ReturnType<typeof buildApp> | undefined;
let appEnv: Env | undefined;

export default {
  fetch(request: Request, env: Env, ctx: unknown): Response | Promise<Response> {
    if (!app || appEnv !== env) {
      app = buildApp(env);
      appEnv = env;
    }
    return app.fetch(request, env, ctx as never);
  },
};

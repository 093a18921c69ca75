/**
 * Abuse limits: fixed windows counted in the database, so every Node process on one file and every
 * Worker isolate on one D1 count against the same number. A window is aligned to the app clock
 * (`deps.now()`), so tests and demos that pin the clock pin the window too.
 */
import type { AppDeps } from '../deps.js';
import { countHit, sweepEnded } from '../db/repositories/rate-limits.js';
import { tenantDirectory } from './tenants.js';

export interface RateRule {
  /** Requests allowed per window. */
  limit: number;
  windowSeconds: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Requests left in this window after this one (0 once refused). */
  remaining: number;
  /** Seconds until the window ends: when a refused caller may try again, and when `remaining` resets. */
  retryAfterSeconds: number;
}

/** The deployment's limits; a tenant's non-null columns override them (`tenantLimits`). */
export interface RateLimits {
  /** Writes (POST/PUT/DELETE, the availability check aside) per client IP per minute. */
  writesPerMinutePerIp: number;
  /** `POST /packages/check-multi-slot-availability` (a read, sent as the parent picks slots) per IP per minute. */
  checksPerMinutePerIp: number;
  /**
   * Writes per minute made with one tenant's secret key (its server: minting parent tokens, admin calls),
   * counted per tenant instead of per IP, since a school's server makes every parent's token from one address.
   */
  writesPerMinutePerTenant: number;
  /** Purchases per parent (guardian) per hour. */
  purchasesPerHourPerParent: number;
  /** Unfinished purchases (holds) a parent may have at once. */
  maxOpenPurchases: number;
}

/**
 * The defaults: 60 writes per IP per minute, 10 purchases per parent per hour, 3 open purchases; a
 * tenant's server, 600 writes a minute.
 */
export const DEFAULT_RATE_LIMITS: Readonly<RateLimits> = Object.freeze({
  writesPerMinutePerIp: 60,
  checksPerMinutePerIp: 300,
  writesPerMinutePerTenant: 600,
  purchasesPerHourPerParent: 10,
  maxOpenPurchases: 3,
});

/** Ended windows are deleted by about one counting write in this many: no timer, and no extra statement per request. */
const SWEEP_ONE_IN = 100;
/** The longest window a rule may have: a day of counters per bucket at most. */
const MAX_WINDOW_SECONDS = 86_400;

/**
 * How many numbers of a window a process takes at once: one for a small limit (every request is counted
 * where every process sees it), up to 64 for a large one (the availability check's, a school server's), so
 * a busy client costs one counting write per block instead of one per request. A process's unused numbers
 * lapse with the window: the limit can only come out stricter, by at most a block per process.
 */
export function blockSize(limit: number): number {
  return Math.min(64, Math.max(1, Math.floor(limit / 50)));
}

/** The numbers a process holds of one bucket's window: `next` to `last`, one per request. */
interface Block {
  windowStart: number;
  next: number;
  last: number;
}

/** Blocks held per store (per database) in this process; a bounded few thousand buckets. */
const HELD = new WeakMap<object, Map<string, Block>>();
const MAX_HELD = 10_000;

function heldBlocks(store: object): Map<string, Block> {
  let held = HELD.get(store);
  if (!held) HELD.set(store, (held = new Map()));
  return held;
}

/**
 * Counts one request in `bucket` and says whether it is within `rule`. Each request gets its own number in
 * the window (the database hands them out, in blocks of blockSize), allowed while the number is within the
 * limit. A refused request still counts: a client that keeps sending while refused stays refused until the
 * window ends, and nothing more.
 */
export async function consume(
  deps: Pick<AppDeps, 'store' | 'now'>,
  bucket: string,
  rule: RateRule,
): Promise<RateDecision> {
  if (!Number.isInteger(rule.limit) || rule.limit < 1) throw new Error(`rate limit must be a positive integer`);
  if (!Number.isInteger(rule.windowSeconds) || rule.windowSeconds < 1 || rule.windowSeconds > MAX_WINDOW_SECONDS)
    throw new Error(`rate limit window must be 1 to ${MAX_WINDOW_SECONDS} whole seconds`);
  const now = Math.floor(deps.now().getTime() / 1000);
  const windowStart = now - (now % rule.windowSeconds);
  const expiresAt = windowStart + rule.windowSeconds;
  const decision = (number: number): RateDecision => ({
    allowed: number <= rule.limit,
    limit: rule.limit,
    remaining: Math.max(0, rule.limit - number),
    retryAfterSeconds: Math.max(1, expiresAt - now),
  });
  const held = heldBlocks(deps.store);
  const block = held.get(bucket);
  if (block && block.windowStart === windowStart && block.next <= block.last) return decision(block.next++);

  const size = blockSize(rule.limit);
  const { db } = deps.store;
  const statements =
    Math.random() * SWEEP_ONE_IN < 1
      ? [countHit(db, bucket, windowStart, expiresAt, size), sweepEnded(db, now)]
      : [countHit(db, bucket, windowStart, expiresAt, size)];
  const [counted] = await deps.store.batch(statements);
  const last = Number(counted!.rows[0]!.count);
  const first = last - size + 1;
  if (size > 1) {
    held.delete(bucket);
    if (held.size >= MAX_HELD) held.delete(held.keys().next().value as string);
    held.set(bucket, { windowStart, next: first + 1, last });
  }
  return decision(first);
}

/** Removes every window that has ended by the app clock (what `consume` does now and then). */
export async function sweepRateLimits(deps: Pick<AppDeps, 'store' | 'now'>): Promise<void> {
  await deps.store.batch([sweepEnded(deps.store.db, Math.floor(deps.now().getTime() / 1000))]);
}

/** The deployment's limits (`deps.rateLimits` over the defaults). */
export function deploymentLimits(deps: Pick<AppDeps, 'rateLimits'>): RateLimits {
  return { ...DEFAULT_RATE_LIMITS, ...deps.rateLimits };
}

/** The limits that apply to one tenant: its own columns where set, else the deployment's. */
export async function tenantLimits(deps: Pick<AppDeps, 'store' | 'rateLimits'>, tenantId: string): Promise<RateLimits> {
  const base = deploymentLimits(deps);
  const row = await tenantDirectory(deps.store).limitsOf(tenantId);
  return {
    ...base,
    writesPerMinutePerIp: row?.writes_per_minute_per_ip ?? base.writesPerMinutePerIp,
    purchasesPerHourPerParent: row?.purchases_per_hour_per_parent ?? base.purchasesPerHourPerParent,
    maxOpenPurchases: row?.max_open_purchases ?? base.maxOpenPurchases,
  };
}

function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  return n;
}

/**
 * The hosts' environment (`RATE_LIMIT_WRITES_PER_MINUTE`, `RATE_LIMIT_CHECKS_PER_MINUTE`,
 * `RATE_LIMIT_PURCHASES_PER_HOUR`, `RATE_LIMIT_TENANT_WRITES_PER_MINUTE`); unset: the default. A tenant's own columns still override them.
 */
export function rateLimitsFromEnv(env: {
  RATE_LIMIT_WRITES_PER_MINUTE?: string | undefined;
  RATE_LIMIT_CHECKS_PER_MINUTE?: string | undefined;
  RATE_LIMIT_PURCHASES_PER_HOUR?: string | undefined;
  RATE_LIMIT_TENANT_WRITES_PER_MINUTE?: string | undefined;
}): Partial<RateLimits> {
  const writes = positiveInteger('RATE_LIMIT_WRITES_PER_MINUTE', env.RATE_LIMIT_WRITES_PER_MINUTE);
  const checks = positiveInteger('RATE_LIMIT_CHECKS_PER_MINUTE', env.RATE_LIMIT_CHECKS_PER_MINUTE);
  const purchases = positiveInteger('RATE_LIMIT_PURCHASES_PER_HOUR', env.RATE_LIMIT_PURCHASES_PER_HOUR);
  const tenantWrites = positiveInteger('RATE_LIMIT_TENANT_WRITES_PER_MINUTE', env.RATE_LIMIT_TENANT_WRITES_PER_MINUTE);
  return {
    ...(tenantWrites !== undefined ? { writesPerMinutePerTenant: tenantWrites } : {}),
    ...(writes !== undefined ? { writesPerMinutePerIp: writes } : {}),
    ...(checks !== undefined ? { checksPerMinutePerIp: checks } : {}),
    ...(purchases !== undefined ? { purchasesPerHourPerParent: purchases } : {}),
  };
}

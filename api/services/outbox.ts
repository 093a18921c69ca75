import {
  claimDueBatch,
  expiringNoticesBatch,
  markDelivered,
  markFailed,
  type ClaimedNotification,
} from '../db/repositories/outbox.js';
import { tenantWebhooks } from '../db/repositories/tenants.js';
import { expiredHoldNoticesBatch } from '../db/repositories/holds.js';
import { runBatch, type Store } from '../db/store.js';
import { DEFAULT_TENANT_ID } from '../contract/auth.js';
import { DAY_MS } from '../core/index.js';
import { constantTimeEqual, hmacSha256Hex } from './crypto.js';
import { EXPIRING_NOTICE_DAYS } from './policy.js';
import { expiryRefundsBatch, type ExpiryRefundsWritten } from '../db/repositories/refunds.js';
import { dueReminders, remindersBatch, type DueReminder } from '../db/repositories/reminders.js';
import { localParts, localStartText } from '../core/local-parts.js';
import { DEFAULT_REMINDER_OFFSETS_MINUTES, MAX_REMINDER_OFFSET_MINUTES, REMINDER_GRACE_MINUTES } from './policy.js';
import { feedLanguage } from './calendar.js';

/*
 * Delivery of the transactional outbox, each tenant's rows to that tenant's webhook, signed with that
 * tenant's secret; the deployment's WEBHOOK_URL / WEBHOOK_SECRET serve the default tenant (the rows
 * from before tenants, and the demo's) when it names no webhook of its own. The `notifications` table is the source of
 * truth: a row is written in the same batch as the change it announces and is marked delivered
 * only after the receiver answered 2xx, so every event is delivered at least once.
 *
 * A sweep claims due rows with a lease (next_attempt_at moved to now + lease in one UPDATE …
 * RETURNING, so two workers never claim the same row) before sending. If the worker dies mid-send,
 * the row simply becomes due again when the lease runs out. A failed attempt is retried with
 * exponential backoff, without limit: nothing is dropped, and last_error shows what is wrong.
 * Receivers deduplicate on the signed body's `id` (the row id; the X-SmartPack-Delivery header carries the
 * same value but is not signed, so it must not decide): see the receiver in docs/lifecycle.md.
 *
 * Runtime-neutral (Web Crypto, fetch): the Node server runs it on a timer, a Worker can run it
 * from a cron trigger.
 */

export const SIGNATURE_HEADER = 'x-smartpack-signature';
export const DEFAULT_LEASE_MS = 60_000;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_MAX_MS = 6 * 3_600_000;

/** Wait after the n-th failed attempt (n ≥ 1): 30 s, 1 min, 2 min, … capped at 6 h. */
export function backoffMs(attempts: number): number {
  const n = Math.max(1, Math.floor(attempts));
  return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(n - 1, 30));
}

/**
 * `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`. Signing the timestamp with the
 * body lets a receiver refuse replays of an old delivery.
 */
export async function signatureHeader(secret: string, body: string, now: Date): Promise<string> {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${await hmacSha256Hex(secret, `${t}.${body}`)}`;
}

/** What a receiver does: recompute the MAC, compare in constant time, check the timestamp's age. */
export async function verifySignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  options: { now: Date; toleranceSeconds?: number },
): Promise<boolean> {
  const parts = Object.fromEntries(
    (header ?? '').split(',').map((part) => {
      const i = part.indexOf('=');
      return [part.slice(0, i).trim(), part.slice(i + 1).trim()];
    }),
  );
  const t = Number(parts.t);
  if (!Number.isInteger(t) || typeof parts.v1 !== 'string') return false;
  if (Math.abs(options.now.getTime() / 1000 - t) > (options.toleranceSeconds ?? 300)) return false;
  return constantTimeEqual(parts.v1, await hmacSha256Hex(secret, `${t}.${body}`));
}

/**
 * Writes `pack.expiring` once per package (dedupe_key) when it ends within EXPIRING_NOTICE_DAYS and
 * floating credits are left. Derived from `now` on every sweep, so no separate job has to run.
 */
export async function enqueueExpiring(store: Store, now: Date): Promise<number> {
  const until = new Date(now.getTime() + EXPIRING_NOTICE_DAYS * DAY_MS).toISOString();
  return runBatch(store, expiringNoticesBatch(store.db, { now: now.toISOString(), until }));
}

/**
 * For every package whose grace period ended before `now` with floating credits unused: the refund
 * of what those credits hold (reason `floating_expired`) and its `escrow.refund_due` event, once per
 * package however many sweeps run (docs/lifecycle.md, "Refunds"). The view shows the amount as
 * `escrow.refundDueMinor` from the clock before any sweep; this only records it.
 */
export async function enqueueExpiryRefunds(store: Store, now: Date): Promise<ExpiryRefundsWritten> {
  return runBatch(store, expiryRefundsBatch(store.db, { now: now.toISOString() }));
}

/**
 * Claims up to `limit` due rows for `leaseMs`; the claim counts as an attempt. The default lease
 * outlasts a whole sweep (every row timing out in turn), so another worker cannot claim a row
 * this one is still about to send.
 */
export async function claimDue(
  store: Store,
  options: { now: Date; limit?: number; leaseMs?: number; timeoutMs?: number; fallbackTenantId?: string | null },
): Promise<ClaimedNotification[]> {
  const limit = options.limit ?? 50;
  const leaseMs =
    options.leaseMs ?? Math.max(DEFAULT_LEASE_MS, limit * (options.timeoutMs ?? DEFAULT_TIMEOUT_MS) + 30_000);
  const leaseUntil = new Date(options.now.getTime() + leaseMs).toISOString();
  return runBatch(
    store,
    claimDueBatch(store.db, {
      now: options.now.toISOString(),
      limit,
      leaseUntil,
      token: crypto.randomUUID(),
      fallbackTenantId: options.fallbackTenantId === undefined ? DEFAULT_TENANT_ID : options.fallbackTenantId,
    }),
  );
}

export interface DeliveryOptions {
  now: Date;
  /** The default tenant's webhook when it has none of its own (the deployment's WEBHOOK_URL); optional. */
  webhookUrl?: string | undefined;
  secret?: string | undefined;
  fetch?: typeof fetch;
  limit?: number;
  leaseMs?: number;
  timeoutMs?: number;
}

/**
 * Writes `pack.hold_expired` once per pending package whose hold lapsed by `now` (dedupe_key). The
 * slots were free at the instant regardless; this only tells the partner, on the next sweep.
 */
export async function enqueueExpiredHolds(store: Store, now: Date): Promise<number> {
  return runBatch(store, expiredHoldNoticesBatch(store.db, now.toISOString()));
}

export interface DeliveryReport {
  expiringQueued: number;
  /** Expired packages whose unused floating credits' share this sweep refunded (`escrow.refund_due`). */
  refundsQueued: number;
  /** `pack.hold_expired` rows this sweep wrote. */
  holdsExpiredQueued: number;
  /** `session.reminder` rows this sweep wrote. */
  remindersQueued: number;
  claimed: number;
  delivered: number;
  failed: { id: number; attempts: number; error: string; nextAttemptAt: string }[];
}

/** The JSON a receiver gets. */
export function deliveryBody(row: ClaimedNotification): string {
  return JSON.stringify({
    id: row.id,
    type: row.eventType,
    createdAt: row.createdAt,
    attempt: row.attempts,
    data: JSON.parse(row.payload) as unknown,
  });
}

/**
 * One sweep: queue expiry and lapsed-hold notices and the refunds of expired packages' unused credits,
 * claim what is due, post each row, record the outcome.
 */
export async function deliverDue(store: Store, options: DeliveryOptions): Promise<DeliveryReport> {
  const send = options.fetch ?? fetch;
  const nowIso = options.now.toISOString();
  const expiringQueued = await enqueueExpiring(store, options.now);
  const refundsQueued = (await enqueueExpiryRefunds(store, options.now)).events;
  const holdsExpiredQueued = await enqueueExpiredHolds(store, options.now);
  const remindersQueued = await enqueueReminders(store, options.now);
  const fallback = options.webhookUrl && options.secret ? { url: options.webhookUrl, secret: options.secret } : null;
  const hooks = new Map(
    (await tenantWebhooks(store.db)).flatMap(({ id, webhookUrl, webhookSecret }) =>
      webhookUrl && webhookSecret ? [[id, { url: webhookUrl, secret: webhookSecret }] as const] : [],
    ),
  );
  const claimed = await claimDue(store, { ...options, fallbackTenantId: fallback ? DEFAULT_TENANT_ID : null });
  const report: DeliveryReport = {
    expiringQueued,
    refundsQueued,
    holdsExpiredQueued,
    remindersQueued,
    claimed: claimed.length,
    delivered: 0,
    failed: [],
  };
  for (const row of claimed) {
    const body = deliveryBody(row);
    const hook = hooks.get(row.tenantId) ?? (row.tenantId === DEFAULT_TENANT_ID ? fallback : null);
    let error: string | null = null;
    try {
      // A tenant that set its webhook after the read above: tried again after the backoff.
      if (!hook) throw new Error('no webhook for this tenant yet');
      const response = await send(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'SmartPackGrid-Webhook/1',
          'x-smartpack-event': row.eventType,
          'x-smartpack-delivery': String(row.id),
          [SIGNATURE_HEADER]: await signatureHeader(hook.secret, body, options.now),
        },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
      // Drain the body so the connection can be reused; its content does not matter.
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) error = `HTTP ${response.status}`;
    } catch (cause) {
      error = String((cause as Error)?.message ?? cause).slice(0, 500);
    }
    if (error === null) {
      await markDelivered(store.db, row.id, nowIso);
      report.delivered++;
    } else {
      const nextAttemptAt = new Date(options.now.getTime() + backoffMs(row.attempts)).toISOString();
      await markFailed(store.db, { id: row.id, claimToken: row.claimToken, nextAttemptAt, error });
      report.failed.push({ id: row.id, attempts: row.attempts, error, nextAttemptAt });
    }
  }
  return report;
}

/** How many reminders one sweep writes at most; the rest are written by the next sweep, still within grace. */
export const REMINDER_BATCH_LIMIT = 200;

/** The `session.reminder` payload: the session, who and what it is, and its start as the teacher's clock shows it. */
export function reminderPayload(due: DueReminder) {
  const language = feedLanguage(due.studentLocale ?? undefined);
  return {
    bookingId: due.bookingId,
    packageId: due.packageId,
    sessionNumber: due.sessionNumber,
    kind: due.kind,
    studentId: due.studentId,
    studentName: due.studentName,
    studentNameAr: due.studentNameAr,
    guardianId: due.guardianId,
    teacherId: due.teacherId,
    teacherName: due.teacherName,
    teacherNameAr: due.teacherNameAr,
    subjectId: due.subjectId,
    subjectName: due.subjectName,
    subjectNameAr: due.subjectNameAr,
    startUtc: due.startUtc,
    endUtc: due.endUtc,
    timezone: due.timezone,
    ...localParts(due.startUtc, due.timezone),
    language,
    localStart: localStartText(due.startUtc, due.timezone, language),
    offsetMinutes: due.offsetMinutes,
    remindAt: due.remindAt,
    manage: due.manage === null ? null : (JSON.parse(due.manage) as unknown),
  };
}

/**
 * Writes `session.reminder` for every remindable session whose reminder instant (start − one of its
 * tenant's offsets) is in (now − REMINDER_GRACE_MINUTES, now]: a context read of what is due, the
 * local start worked out here (the zone rules are the core's), then one guarded statement that
 * writes each row once (dedupe key: session, start instant, offset) and only for a session still
 * at that start, scheduled and paid. Derived from `now` on every sweep, like `pack.expiring`.
 */
export async function enqueueReminders(store: Store, now: Date): Promise<number> {
  const due = await dueReminders(store.db, {
    now: now.toISOString(),
    graceStart: new Date(now.getTime() - REMINDER_GRACE_MINUTES * 60_000).toISOString(),
    horizon: new Date(now.getTime() + MAX_REMINDER_OFFSET_MINUTES * 60_000).toISOString(),
    defaultOffsets: DEFAULT_REMINDER_OFFSETS_MINUTES,
    limit: REMINDER_BATCH_LIMIT,
  });
  if (due.length === 0) return 0;
  return runBatch(
    store,
    remindersBatch(store.db, {
      now: now.toISOString(),
      reminders: due.map((reminder) => ({
        bookingId: reminder.bookingId,
        startUtc: reminder.startUtc,
        offsetMinutes: reminder.offsetMinutes,
        payload: reminderPayload(reminder),
      })),
    }),
  );
}

export interface OutboxRunner {
  stop(): Promise<void>;
  /** Runs one sweep now (the timer keeps going); for demos and tests. */
  sweep(): Promise<DeliveryReport | null>;
}

/** Sweeps on a timer until stopped; a failing sweep is logged and the next one tries again. */
export function startOutboxRunner(
  store: Store,
  options: Omit<DeliveryOptions, 'now'> & {
    now: () => Date;
    intervalMs?: number;
    onReport?: (report: DeliveryReport) => void;
  },
): OutboxRunner {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<DeliveryReport | null> = Promise.resolve(null);
  const interval = options.intervalMs ?? 5_000;

  const sweep = (): Promise<DeliveryReport | null> => {
    running = running
      .catch(() => null)
      .then(() => deliverDue(store, { ...options, now: options.now() }))
      .then((report) => {
        options.onReport?.(report);
        return report;
      })
      .catch((error: unknown) => {
        console.error('outbox sweep failed', error);
        return null;
      });
    return running;
  };
  const loop = () => {
    if (stopped) return;
    void sweep().finally(() => {
      if (!stopped) timer = setTimeout(loop, interval);
    });
  };
  loop();
  return {
    sweep,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
}

import Database from 'better-sqlite3';
import type { D1Database } from '@cloudflare/workers-types';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_ID as tenant_id } from '../../api/contract/auth.js';
import { openD1Store } from '../../api/db/d1.js';
import { migrate } from '../../api/db/migrate-node.js';
import { purchaseBatch } from '../../api/db/repositories/packages.js';
import { isBookingConflict, isConstraintViolation, runBatch, type Store } from '../../api/db/store.js';
import { applyLocalMigrations, localD1File, ROOT } from '../../api/server/worker-local.js';
import { verifySignature } from '../../api/services/outbox.js';
import { buildScenario, purchaseBody } from '../support/scenario.js';
import { ADMIN_KEY, API_TARGET } from '../support/target.js';
import { freshPersistDir, startWorkerTarget, workerBundle } from '../support/worker-target.js';

/**
 * What only the Worker target has: wrangler's migration runner, the Worker bundle, the cron
 * trigger, and the D1 store's batch run directly on Miniflare's D1 (the rest of the suite reaches
 * it over HTTP).
 */
describe.skipIf(API_TARGET !== 'worker')('Cloudflare Worker and D1', () => {
  it('applies the migrations with `wrangler d1 migrations apply --local` to the schema the Node migrator makes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smart-pack-d1-migrate-'));
    try {
      await applyLocalMigrations(dir);
      const d1 = new Database(localD1File(dir), { readonly: true });
      const node = new Database(':memory:');
      migrate(node);
      // wrangler drops comments when it splits the file into statements; nothing else may differ.
      const schema = (db: Database.Database) =>
        (
          db
            .prepare(
              `SELECT type, name, sql FROM sqlite_master
                WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations' ORDER BY type, name`,
            )
            .all() as { type: string; name: string; sql: string | null }[]
        ).map((row) => ({
          ...row,
          sql: (row.sql ?? '')
            .replace(/--[^\n]*/g, '')
            .replace(/\s+/g, ' ')
            .replace(/\s*([(),])\s*/g, '$1')
            .trim(),
        }));
      const fromWrangler = schema(d1);
      expect(fromWrangler.filter((row) => row.type === 'trigger').length).toBeGreaterThan(10);
      expect(fromWrangler).toEqual(schema(node));
      const applied = (db: Database.Database) =>
        (db.prepare('SELECT name FROM d1_migrations ORDER BY id').all() as { name: string }[]).map((row) => row.name);
      expect(applied(d1)).toEqual(applied(node));
      d1.close();
      node.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('bundles api/worker.ts without Node built-ins, better-sqlite3 or the Node host', async () => {
    const { metafile } = await workerBundle();
    const meta = JSON.parse(readFileSync(metafile, 'utf8')) as {
      inputs: Record<string, { imports: { path: string; external?: boolean }[] }>;
    };
    const inputs = Object.keys(meta.inputs);
    const imports = Object.values(meta.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(inputs.some((path) => path.endsWith('api/worker.ts'))).toBe(true);
    expect(inputs.some((path) => path.includes('kysely-d1'))).toBe(true);
    expect(
      [...inputs, ...imports].filter((path) =>
        /^node:|better-sqlite3|api\/server\/|api\/db\/node\.ts|migrate-node/.test(path),
      ),
    ).toEqual([]);
  }, 60_000);

  it('delivers the outbox from its cron trigger, signed, and records the delivery', async () => {
    const received: { headers: IncomingMessage['headers']; body: string }[] = [];
    const hook: Server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hooks/smart-pack`;
    // Real clock, as in production: the sweep must see the purchase's own row come due.
    const worker = await startWorkerTarget({
      adminKey: ADMIN_KEY,
      vars: { WEBHOOK_URL: hookUrl, WEBHOOK_SECRET: 'whsec-worker' },
    });
    try {
      const s = await buildScenario({
        url: worker.url,
        adminKey: ADMIN_KEY,
        databasePath: worker.databasePath,
        close: async () => {},
      });
      const bought = await s.parent.api.post('/packages', purchaseBody(s, [{ weekday: 'MONDAY', time: '16:00' }]));
      expect(bought.status).toBe(201);
      // What Cloudflare does every minute; wrangler dev runs the cron handler on this route.
      const run = await fetch(`${worker.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent('* * * * *')}`);
      expect(run.status).toBe(200);
      expect(received).toHaveLength(1);
      const { headers, body } = received[0]!;
      expect(headers['x-smartpack-event']).toBe('pack.purchased');
      expect(
        await verifySignature('whsec-worker', String(headers['x-smartpack-signature']), body, { now: new Date() }),
      ).toBe(true);
      expect(JSON.parse(body).data.packageId).toBe(bought.body.id);
      const d1 = new Database(worker.databasePath, { readonly: true });
      try {
        expect(
          d1.prepare('SELECT attempts, last_error, delivered_at IS NOT NULL AS delivered FROM notifications').all(),
        ).toEqual([{ attempts: 1, last_error: null, delivered: 1 }]);
      } finally {
        d1.close();
      }
      // Nothing is due any more: the next run sends nothing.
      await fetch(`${worker.url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent('* * * * *')}`);
      expect(received).toHaveLength(1);
    } finally {
      await worker.close();
      await new Promise<void>((resolve) => hook.close(() => resolve()));
    }
  }, 60_000);

  describe('the D1 store on Miniflare', () => {
    let dir: string;
    let dispose: () => Promise<void>;
    let store: Store;

    beforeAll(async () => {
      dir = await freshPersistDir({ now: '2026-11-30T06:00:00.000Z' });
      const { getPlatformProxy } = await import('wrangler');
      const proxy = await getPlatformProxy<{ DB: D1Database }>({
        configPath: join(ROOT, 'wrangler.toml'),
        persist: { path: join(dir, 'v3') },
      });
      dispose = proxy.dispose;
      store = openD1Store(proxy.env.DB);
      const db = store.db;
      await store.batch([
        db.insertInto('subjects').values({ tenant_id, id: 'math', name: 'Mathematics', name_ar: null }),
        db.insertInto('teachers').values({
          tenant_id,
          id: 't',
          name: 'T',
          timezone: 'Africa/Khartoum',
          hourly_rate_minor: 1000,
          currency: 'SDG',
        }),
        db.insertInto('teacher_subjects').values({ teacher_id: 't', subject_id: 'math' }),
        db
          .insertInto('students')
          .values({ tenant_id, id: 's', name: 'S', email: null, phone: null, timezone: null, locale: null }),
        db.insertInto('package_tiers').values({
          tenant_id,
          id: 'tier',
          teacher_id: null,
          name: '2',
          session_count: 2,
          recurring_count: 2,
          floating_count: 0,
        }),
        db.insertInto('bookings').values({
          tenant_id,
          id: 'taken',
          package_id: null,
          teacher_id: 't',
          student_id: null,
          subject_id: null,
          kind: 'single',
          start_utc: '2027-01-04T10:00:00.000Z',
          end_utc: '2027-01-04T11:30:00.000Z',
          session_number: null,
          flagged_reason: null,
        }),
      ]);
    }, 60_000);

    afterAll(async () => {
      await dispose?.();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const pack = (id: string) => ({
      id,
      studentId: 's',
      teacherId: 't',
      subjectId: 'math',
      tierId: 'tier',
      recurringPatterns: [{ weekday: 'MONDAY' as const, time: '12:00' }],
      sessionCount: 2,
      recurringSessionCount: 2,
      floatingSessionCount: 0,
      rescheduleLimit: 2,
      sessionMinutes: 60,
      firstScheduledSession: null,
      lastScheduledSession: null,
      gracePeriodEnds: null,
      priceMinor: 2000,
      currency: 'SDG',
      idempotencyKey: `key-${id}`,
      requestHash: 'h',
      createdAt: '2026-11-30T06:00:00.000Z',
      tenantId: 'tenant-default',
      guardianId: null,
    });
    const manage = { token: 'manage-token', url: '/pack/x?t=manage-token', expiresAt: '2027-01-01T00:00:00.000Z' };
    const counts = async (packageId: string) =>
      (
        await sql<Record<string, number>>`
          SELECT (SELECT count(*) FROM student_packages WHERE id = ${packageId}) AS packages,
                 (SELECT count(*) FROM bookings WHERE package_id = ${packageId}) AS bookings,
                 (SELECT count(*) FROM escrow_ledger WHERE package_id = ${packageId}) AS holds,
                 (SELECT count(*) FROM notifications WHERE package_id = ${packageId}) AS notifications`.execute(
          store.db,
        )
      ).rows[0];

    it('rolls back the whole batch (package, escrow hold, outbox) when a later statement overlaps', async () => {
      const error = await store
        .batch(
          purchaseBatch(
            store.db,
            pack('loser'),
            [
              {
                id: 'l1',
                startUtc: '2027-01-11T10:00:00.000Z',
                endUtc: '2027-01-11T11:00:00.000Z',
                sessionNumber: 1,
                escrowMinor: 1000,
              },
              // Starts inside the 90-minute booking at 10:00, so only the overlap trigger can refuse it.
              {
                id: 'l2',
                startUtc: '2027-01-04T11:00:00.000Z',
                endUtc: '2027-01-04T12:00:00.000Z',
                sessionNumber: 2,
                escrowMinor: 1000,
              },
            ],
            manage,
          ).statements,
        )
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).not.toBeNull();
      expect(isBookingConflict(error)).toBe(true);
      expect(await counts('loser')).toEqual({ packages: 0, bookings: 0, holds: 0, notifications: 0 });
    });

    it('commits a batch that nothing refuses, and its RETURNING reports the package insert', async () => {
      const written = await runBatch(
        store,
        purchaseBatch(
          store.db,
          pack('winner'),
          [
            {
              id: 'w1',
              startUtc: '2027-01-11T12:00:00.000Z',
              endUtc: '2027-01-11T13:00:00.000Z',
              sessionNumber: 1,
              escrowMinor: 1000,
            },
            {
              id: 'w2',
              startUtc: '2027-01-18T12:00:00.000Z',
              endUtc: '2027-01-18T13:00:00.000Z',
              sessionNumber: 2,
              escrowMinor: 1000,
            },
          ],
          manage,
        ),
      );
      expect(written).toEqual({ inserted: true, holder: undefined });
      expect(await counts('winner')).toEqual({ packages: 1, bookings: 2, holds: 1, notifications: 1 });
      // The same idempotency key again: the insert returns no row, nothing fires, and the same
      // batch read the package that holds the key (D1 counts trigger rows in `changes`; RETURNING
      // does not depend on that).
      const replay = await runBatch(
        store,
        purchaseBatch(store.db, { ...pack('winner'), id: 'winner-again' }, [], manage),
      );
      expect(replay.inserted).toBe(false);
      expect(replay.holder).toMatchObject({
        id: 'winner',
        idempotencyKey: 'key-winner',
        sessions: [{ id: 'w1' }, { id: 'w2' }],
      });
      expect(await counts('winner-again')).toEqual({ packages: 0, bookings: 0, holds: 0, notifications: 0 });
    });

    it('recognises D1 refusals ("D1_ERROR: …"): same start, overlap, unknown reference', async () => {
      const single = (id: string, start: string, end: string) =>
        store.db.insertInto('bookings').values({
          tenant_id,
          id,
          package_id: null,
          teacher_id: 't',
          student_id: null,
          subject_id: null,
          kind: 'single',
          start_utc: start,
          end_utc: end,
          session_number: null,
          flagged_reason: null,
        });
      const sameStart = await single('x1', '2027-01-04T10:00:00.000Z', '2027-01-04T10:30:00.000Z')
        .execute()
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(isBookingConflict(sameStart)).toBe(true);
      const overlap = await store.batch([single('x2', '2027-01-04T10:30:00.000Z', '2027-01-04T10:45:00.000Z')]).then(
        () => null,
        (e: unknown) => e,
      );
      expect(isBookingConflict(overlap)).toBe(true);
      const unknownTeacher = await store.db
        .insertInto('availability_rules')
        .values({ id: 'r', teacher_id: 'ghost', weekday: 'MONDAY', start_time: '09:00', end_time: '10:00' })
        .execute()
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(isConstraintViolation(unknownTeacher)).toBe(true);
      expect(String((unknownTeacher as Error).message)).toMatch(/FOREIGN KEY/i);
    });
  });
});

/**
 * The Worker beside Node in `npm run bench`: the same data, clock and requests against `wrangler
 * dev` on workerd with a local D1 (run.ts imports this module when it exists and calls benchWorker).
 * Only the cached rows: the Worker has no `/cold` app, and its statement counter lives inside the
 * isolate, out of reach.
 */
import { rmSync } from 'node:fs';
import type { LoadResult, runLoad } from './run.js';
import { WEEKDAYS, type Weekday } from '../../api/core/types.js';
import { BENCH_NOW as NOW, BUY_TEACHERS, fillBenchData as fillRows } from './fixture.js';
import { openNodeStore } from '../../api/db/node.js';
import { freshPersistDir, startWorkerTarget, type WorkerTarget } from '../support/worker-target.js';
import { localD1File } from '../../api/server/worker-local.js';

/**
 * run.ts's data set, written into the local D1's SQLite file before workerd opens it: rows in a
 * file, not requests, so setting up is no part of what is measured.
 */
async function fillLocalD1(databasePath: string): Promise<{ bookings: number; buyers: string[]; parentToken: string }> {
  const store = openNodeStore(databasePath);
  try {
    const filled = await fillRows(store);
    // Hand workerd a file with everything in the main database, nothing pending in the WAL.
    store.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return filled;
  } finally {
    await store.close();
  }
}

export async function benchWorker(load: typeof runLoad): Promise<{ name: string; result: LoadResult }[]> {
  const persistTo = await freshPersistDir({ now: NOW });
  let worker: WorkerTarget | undefined;
  try {
    const { buyers, parentToken } = await fillLocalD1(localD1File(persistTo));
    worker = await startWorkerTarget({ now: NOW, adminKey: 'bench', persistTo, logLevel: 'warn' });
    const base = worker.url;
    const grid = `${base}/marketplace/teachers/busy/weekly-availability?tierId=tier-10&weeks=8`;
    const twoSlots: { weekday: Weekday; time: string }[] = [
      { weekday: 'MONDAY', time: '16:00' },
      { weekday: 'WEDNESDAY', time: '17:00' },
    ];
    const check = JSON.stringify({ teacherId: 'busy', tierId: 'tier-10', patterns: twoSlots });
    const purchases = Array.from({ length: BUY_TEACHERS * 7 * 12 }, (_, i) => {
      const slot = Math.floor(i / buyers.length);
      const hour = 8 + (Math.floor(slot / 7) % 12);
      return JSON.stringify({
        studentId: 'student',
        teacherId: buyers[i % buyers.length],
        subjectId: 'math',
        tierId: 'tier-10',
        recurringPatterns: [{ weekday: WEEKDAYS[slot % 7], time: `${String(hour).padStart(2, '0')}:00` }],
        idempotencyKey: `bench-worker-purchase-${i}`,
      });
    });
    // Load the schedule into the isolate's cache first, as the Node rows do with their warm-up.
    await (await fetch(grid)).arrayBuffer();
    const rows: { name: string; result: LoadResult }[] = [];
    const measure = async (name: string, job: Parameters<typeof runLoad>[0]) =>
      rows.push({ name, result: await load(job) });
    await measure('Worker: /health (bare route)', { url: `${base}/health`, method: 'GET' });
    await measure('Worker: grid, 8 weeks, 1 year of bookings (cached)', { url: grid, method: 'GET' });
    await measure('Worker: check, 2 slots × 8 sessions (cached schedule)', {
      url: `${base}/packages/check-multi-slot-availability`,
      method: 'POST',
      bodies: [check],
    });
    await measure('Worker: purchase, 8 bookings + escrow + outbox', {
      url: `${base}/packages`,
      method: 'POST',
      bodies: purchases,
      headers: { authorization: `Bearer ${parentToken}` },
      maxRequests: purchases.length,
    });
    return rows;
  } finally {
    await worker?.close();
    rmSync(persistTo, { recursive: true, force: true });
  }
}

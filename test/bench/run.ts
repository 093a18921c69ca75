import { DEFAULT_TENANT_ID } from '../../api/contract/auth.js';
/**
 * `npm run bench`: latency and throughput over HTTP on loopback, each endpoint beside a bare Hono
 * route measured in the same run, plus SQL statements per request. Results are printed and written
 * into README.md between the bench markers. Never run by `npm test`: timings are not assertions.
 */
import { serve } from '@hono/node-server';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { createApp } from '../../api/app.js';
import type { AppDeps } from '../../api/deps.js';
import { migrate } from '../../api/db/migrate-node.js';
import { openNodeStore } from '../../api/db/node.js';
import { ScheduleSource } from '../../api/db/schedule-source.js';
import type { Weekday } from '../../api/core/types.js';
import { WEEKDAYS } from '../../api/core/types.js';
import { BENCH_NOW, BUY_TEACHERS, fillBenchData, fillScaleData } from './fixture.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const NOW = new Date(BENCH_NOW);
/** `BENCH_QUICK=1`: only the hot rows (bare, cached grid, 304, cached check), printed, README untouched. */
const QUICK = process.env.BENCH_QUICK === '1';
/** A paired row alternates with the bare route this many times; its ratio is the median round's. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
}

export function runLoad(job: {
  url: string;
  /** Request i goes to urls[i] with bodies[i] (one package's confirm and its payment). */
  urls?: string[];
  method: 'GET' | 'POST';
  bodies?: string[];
  /** Sent with every request (load.ts adds the JSON content type to bodies). */
  headers?: Record<string, string>;
  seconds?: number;
  connections?: number;
  maxRequests?: number;
  warm?: boolean;
}): Promise<LoadResult> {
  return spawnLoad(job) as Promise<LoadResult>;
}

type LoadJob = Parameters<typeof runLoad>[0];

/**
 * The bare route and a row in turn, `ROUNDS` times, from one load process (one client, warmed once per phase):
 * on a shared machine the speed drifts within seconds, and a round's two halves see nearly the same machine.
 */
export async function runRounds(bare: LoadJob, row: LoadJob, rounds = ROUNDS) {
  const seconds = row.seconds ?? SECONDS;
  const { phases } = (await spawnLoad({
    url: row.url,
    method: 'GET',
    connections: row.connections ?? CONNECTIONS,
    seconds,
    phases: Array.from({ length: rounds }, () => [bare, row]).flat(),
  })) as { phases: LoadResult[] };
  return Array.from({ length: rounds }, (_, i) => ({ bare: phases[2 * i]!, row: phases[2 * i + 1]! }));
}

function spawnLoad(job: LoadJob & { phases?: LoadJob[] }): Promise<unknown> {
  // The job travels in a file: a list of purchase bodies is too long for argv.
  const specFile = join(mkdtempSync(join(tmpdir(), 'smart-pack-load-')), 'job.json');
  writeFileSync(specFile, JSON.stringify({ seconds: SECONDS, connections: CONNECTIONS, ...job }));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/bench/load.ts'), specFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`load exited ${code}`)),
    );
  });
}

async function setUp(path: string) {
  const store = openNodeStore(path);
  migrate(store.sqlite);
  return { store, ...(await fillBenchData(store)) };
}

function host(deps: AppDeps, cold: AppDeps) {
  return new Hono()
    .get('/bare', (c) => c.json({ ok: true }))
    .route('/cold', createApp(cold))
    .route('/', createApp(deps));
}

async function statementsPerRequest(
  deps: AppDeps,
  baseUrl: string,
  send: (i: number) => Promise<Response>,
  n = 20,
): Promise<number> {
  const before = deps.store.statementCount;
  for (let i = 0; i < n; i++) await (await send(i)).arrayBuffer();
  void baseUrl;
  return (deps.store.statementCount - before) / n;
}

const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'smart-pack-bench-'));
  const { store, bookings, buyers, parentToken } = await setUp(join(dir, 'bench.db'));
  const parent = { authorization: `Bearer ${parentToken}` };
  // The school collects payment: each purchase is a hold (8 bookings + pack.held), paid by the confirm row.
  store.sqlite.prepare(`UPDATE tenants SET payment_mode = 'required' WHERE id = ?`).run(DEFAULT_TENANT_ID);
  const now = () => new Date(NOW);
  const deps: AppDeps = {
    store,
    schedules: new ScheduleSource(store),
    now,
    adminApiKey: 'bench',
    corsOrigin: '*',
    // The load comes from one address under a pinned clock: the per-IP limits would measure only themselves.
    rateLimits: {
      writesPerMinutePerIp: 1_000_000_000,
      checksPerMinutePerIp: 1_000_000_000,
      purchasesPerHourPerParent: 1_000_000_000,
      // One bench family buys every pack: holds are left open until the confirm row pays them.
      maxOpenPurchases: 1_000_000_000,
    },
    defaultTenantId: DEFAULT_TENANT_ID,
    isLoopbackRequest: () => false,
  };
  // maxEntries 0 evicts every entry at once: each request reloads the schedule and recomputes.
  const cold: AppDeps = { ...deps, schedules: new ScheduleSource(store, 0) };
  const app = host(deps, cold);
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const grid = (prefix: string, teacher: string, weeks: number) =>
    `${base}${prefix}/marketplace/teachers/${teacher}/weekly-availability?tierId=tier-10&weeks=${weeks}`;
  const checkBody = (teacher: string, patterns: { weekday: Weekday; time: string }[]) =>
    JSON.stringify({ teacherId: teacher, tierId: 'tier-10', patterns });
  const twoSlots = [
    { weekday: 'MONDAY' as Weekday, time: '16:00' },
    { weekday: 'WEDNESDAY' as Weekday, time: '17:00' },
  ];
  const fourSlots = (['SUNDAY', 'TUESDAY', 'THURSDAY', 'SATURDAY'] as Weekday[]).map((weekday) => ({
    weekday,
    time: '10:00',
  }));
  // Purchases spread over many teachers and slots so each one books 8 fresh sessions.
  let purchaseCounter = 0;
  const purchaseBodies = (count: number) =>
    Array.from({ length: count }, () => {
      const i = purchaseCounter++;
      const teacherId = buyers[i % buyers.length]!;
      const slot = Math.floor(i / buyers.length);
      const weekday = WEEKDAYS[slot % 7]!;
      const hour = 8 + (Math.floor(slot / 7) % 12);
      return JSON.stringify({
        studentId: 'student',
        teacherId,
        subjectId: 'math',
        tierId: 'tier-10',
        recurringPatterns: [{ weekday, time: `${String(hour).padStart(2, '0')}:00` }],
        idempotencyKey: `bench-purchase-${i}`,
      });
    });

  const post = (url: string, body: string, headers: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const statements = {
    grid304: Number.NaN,
    gridWarm: await statementsPerRequest(deps, base, () => fetch(grid('', 'busy', 8))),
    grid1: await statementsPerRequest(deps, base, () => fetch(grid('/cold', 'busy', 1))),
    grid8: await statementsPerRequest(deps, base, () => fetch(grid('/cold', 'busy', 8))),
    grid26: await statementsPerRequest(deps, base, () => fetch(grid('/cold', 'busy', 26))),
    gridEmpty: await statementsPerRequest(deps, base, () => fetch(grid('/cold', 'empty', 26))),
    checkWarm: await statementsPerRequest(deps, base, () =>
      post(`${base}/packages/check-multi-slot-availability`, checkBody('busy', twoSlots)),
    ),
    check1: await statementsPerRequest(deps, base, () =>
      post(`${base}/cold/packages/check-multi-slot-availability`, checkBody('busy', twoSlots.slice(0, 1))),
    ),
    check4: await statementsPerRequest(deps, base, () =>
      post(`${base}/cold/packages/check-multi-slot-availability`, checkBody('busy', fourSlots)),
    ),
    checkEmpty: await statementsPerRequest(deps, base, () =>
      post(`${base}/cold/packages/check-multi-slot-availability`, checkBody('empty', fourSlots)),
    ),
    purchase: await (async () => {
      const bodies = purchaseBodies(20);
      return statementsPerRequest(deps, base, (i) => post(`${base}/packages`, bodies[i]!, parent));
    })(),
  };

  // Each row is compared with the bare route at the same concurrency. A paired row measures the bare route
  // again just before itself: on a shared machine the speed drifts within a run, and the ratio should not.
  const rows: [string, LoadResult, number][] = [];
  const ratios = new Map<LoadResult, number>();
  let baselineRps = Number.NaN;
  /** Per paired row: the lowest and highest round's ratio, beside the median that stands for it. */
  const spreads = new Map<LoadResult, [number, number]>();
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const measure = async (name: string, job: LoadJob, options: { paired?: boolean } = {}) => {
    let result: LoadResult;
    let baseline = baselineRps;
    if (options.paired) {
      // Each phase runs half a row's seconds (half a second at the least): a paired row is ROUNDS × 2 phases.
      const seconds = Math.max(0.5, (job.seconds ?? SECONDS) / 2);
      const rounds = await runRounds(
        { url: `${base}/bare`, method: 'GET', connections: job.connections ?? CONNECTIONS, seconds },
        { ...job, seconds, warm: job.warm ?? !job.bodies },
      );
      const roundRatios = rounds.map((r) => r.row.rps / r.bare.rps);
      const statuses: Record<string, number> = {};
      for (const { row } of rounds)
        for (const [code, n] of Object.entries(row.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
      result = {
        requests: rounds.reduce((n, r) => n + r.row.requests, 0),
        rps: median(rounds.map((r) => r.row.rps)),
        p50: median(rounds.map((r) => r.row.p50)),
        p99: median(rounds.map((r) => r.row.p99)),
        max: Math.max(...rounds.map((r) => r.row.max)),
        statuses,
      };
      baseline = median(rounds.map((r) => r.bare.rps));
      ratios.set(result, median(roundRatios));
      spreads.set(result, [Math.min(...roundRatios), Math.max(...roundRatios)]);
    } else {
      result = await runLoad(job);
      ratios.set(result, result.rps / baseline);
    }
    rows.push([name, result, baseline]);
    const spread = spreads.get(result);
    console.log(
      `${name.padEnd(46)} ${fmt(result.rps, 0).padStart(7)} req/s  p50 ${fmt(result.p50)} ms  p99 ${fmt(result.p99)} ms  ${fmt(100 * ratios.get(result)!, 0).padStart(4)} %${spread ? ` (${fmt(100 * spread[0], 0)}–${fmt(100 * spread[1], 0)} % over ${ROUNDS} rounds)` : ''}  ${JSON.stringify(result.statuses)}`,
    );
    return result;
  };
  /** A row's req/s as a percentage of its bare route. */
  const pct = (r: LoadResult) => `${fmt(100 * (ratios.get(r) ?? Number.NaN), 0)} %`;
  /** What a row keeps of another's ratio to the bare route (the scale rows against the small database's). */
  const keeps = (r: LoadResult, of: LoadResult) =>
    `${fmt((100 * (ratios.get(r) ?? Number.NaN)) / (ratios.get(of) ?? Number.NaN), 0)} %`;

  const bare = await measure('bare Hono route (baseline)', { url: `${base}/bare`, method: 'GET' });
  baselineRps = bare.rps;
  rows[0]![2] = bare.rps;
  const gridWarm = await measure(
    'grid, 8 weeks, 1 year of bookings (cached)',
    { url: grid('', 'busy', 8), method: 'GET' },
    { paired: true },
  );
  // A widget or a shared cache revalidating what it holds: If-None-Match with the grid's tag answers 304.
  const tag = (await fetch(grid('', 'busy', 8))).headers.get('etag') ?? '';
  const revalidate = { 'if-none-match': tag };
  statements.grid304 = await statementsPerRequest(deps, base, () =>
    fetch(grid('', 'busy', 8), { headers: revalidate }),
  );
  const grid304 = await measure(
    'grid revalidation (If-None-Match → 304)',
    { url: grid('', 'busy', 8), method: 'GET', headers: revalidate },
    { paired: true },
  );
  if (QUICK) {
    const check = await measure(
      'check, 2 slots × 8 sessions (cached schedule)',
      {
        url: `${base}/packages/check-multi-slot-availability`,
        method: 'POST',
        bodies: [checkBody('busy', twoSlots)],
        warm: true,
      },
      { paired: true },
    );
    console.log(`grid ${pct(gridWarm)}, 304 ${pct(grid304)}, check ${pct(check)} of the bare route`);
    server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    return;
  }
  // Latency without queueing: one client at a time, the parent's view of it.
  const bareOne = await measure('bare Hono route, 1 connection (baseline)', {
    url: `${base}/bare`,
    method: 'GET',
    connections: 1,
  });
  baselineRps = bareOne.rps;
  rows[rows.length - 1]![2] = bareOne.rps;
  const gridOne = await measure('grid (cached), 1 connection', {
    url: grid('', 'busy', 8),
    method: 'GET',
    connections: 1,
  });
  const checkOne = await measure('check (cached schedule), 1 connection', {
    url: `${base}/packages/check-multi-slot-availability`,
    method: 'POST',
    bodies: [checkBody('busy', twoSlots)],
    connections: 1,
  });
  baselineRps = bare.rps;
  await measure('grid, 8 weeks, 1 year of bookings (uncached)', { url: grid('/cold', 'busy', 8), method: 'GET' });
  await measure('grid, 26 weeks, 1 year of bookings (uncached)', { url: grid('/cold', 'busy', 26), method: 'GET' });
  const checkWarm = await measure(
    'check, 2 slots × 8 sessions (cached schedule)',
    {
      url: `${base}/packages/check-multi-slot-availability`,
      method: 'POST',
      bodies: [checkBody('busy', twoSlots)],
      warm: true,
    },
    { paired: true },
  );
  await measure('check, 4 slots (uncached schedule)', {
    url: `${base}/cold/packages/check-multi-slot-availability`,
    method: 'POST',
    bodies: [checkBody('busy', fourSlots)],
  });
  const purchaseCount = BUY_TEACHERS * 7 * 12;
  const purchase = await measure('purchase (hold), 8 bookings + outbox', {
    url: `${base}/packages`,
    method: 'POST',
    bodies: purchaseBodies(purchaseCount - 20),
    headers: parent,
    maxRequests: purchaseCount - 20,
  });
  // The partner's server confirms each hold it was paid for: escrow + pack.purchased in one guarded batch.
  const held = store.sqlite
    .prepare(`SELECT id, price_minor AS price, currency FROM student_packages WHERE hold_expires_at IS NOT NULL`)
    .all() as { id: string; price: number; currency: string }[];
  const confirmStatementsBefore = store.statementCount;
  const confirm = await measure('confirm payment (escrow + pack.purchased)', {
    url: base,
    urls: held.map((p) => `${base}/packages/${p.id}/confirm`),
    method: 'POST',
    bodies: held.map((p) =>
      JSON.stringify({ paymentReference: `bench-pay-${p.id}`, amountMinor: p.price, currency: p.currency }),
    ),
    headers: { authorization: 'Bearer bench' },
    maxRequests: held.length,
  });
  const confirmStatements = (store.statementCount - confirmStatementsBefore) / Math.max(1, confirm.requests);

  // Scale: the same reads of the same teacher, in a database that also holds 1,000 teachers × a year of
  // bookings in 10 more schools. Every index is shared, so this is what a marketplace's size costs a read.
  const scale = await (async () => {
    const scaleDir = mkdtempSync(join(tmpdir(), 'smart-pack-bench-scale-'));
    const big = await setUp(join(scaleDir, 'scale.db'));
    const started = Date.now();
    const filled = fillScaleData(big.store);
    console.log(`scale data: ${filled.teachers} teachers, ${filled.bookings} bookings in ${Date.now() - started} ms`);
    const bigDeps: AppDeps = { ...deps, store: big.store, schedules: new ScheduleSource(big.store) };
    const bigServer = serve({ fetch: host(bigDeps, bigDeps).fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => bigServer.once('listening', r));
    const bigAddress = bigServer.address();
    const bigBase = `http://127.0.0.1:${typeof bigAddress === 'object' && bigAddress ? bigAddress.port : 0}`;
    const bigGrid = `${bigBase}/marketplace/teachers/busy/weekly-availability?tierId=tier-10&weeks=8`;
    const bigCheck = `${bigBase}/packages/check-multi-slot-availability`;
    try {
      const statementsGrid = await statementsPerRequest(bigDeps, bigBase, () => fetch(bigGrid));
      const statementsCheck = await statementsPerRequest(bigDeps, bigBase, () =>
        post(bigCheck, checkBody('busy', twoSlots)),
      );
      const grid = await measure(
        `scale: grid (cached), ${filled.bookings.toLocaleString('en')} more bookings`,
        { url: bigGrid, method: 'GET' },
        { paired: true },
      );
      const check = await measure(
        'scale: check (cached schedule)',
        // The check's body may be sent any number of times: its phases warm up on it.
        { url: bigCheck, method: 'POST', bodies: [checkBody('busy', twoSlots)], warm: true },
        { paired: true },
      );
      return { filled, grid, check, statementsGrid, statementsCheck };
    } finally {
      bigServer.close();
      await big.store.close();
      rmSync(scaleDir, { recursive: true, force: true });
    }
  })();

  let extra: { name: string; result: LoadResult }[] = [];
  try {
    // Optional: the Worker target adds itself here when it can run (wrangler on this machine).
    const workerModule: string = './worker.js';
    const worker = (await import(workerModule).catch(() => null)) as {
      benchWorker?: (load: typeof runLoad) => Promise<{ name: string; result: LoadResult }[]>;
    } | null;
    if (worker?.benchWorker) extra = await worker.benchWorker(runLoad);
  } catch (error) {
    console.warn('worker bench skipped:', (error as Error).message);
  }
  // The Worker's rows against the Worker's own bare route (its first row).
  const workerBare = extra[0]?.result.rps ?? Number.NaN;
  for (const { name, result } of extra) {
    rows.push([name, result, workerBare]);
    console.log(
      `${name.padEnd(46)} ${fmt(result.rps, 0).padStart(7)} req/s  p50 ${fmt(result.p50)} ms  p99 ${fmt(result.p99)} ms`,
    );
  }

  let widget: string[] = [];
  try {
    const browser = await import('./widget.js').catch(() => null);
    if (browser?.benchWidget) widget = await browser.benchWidget();
  } catch (error) {
    console.warn('widget bench skipped:', (error as Error).message);
  }

  server.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });

  const table = [
    '| endpoint | req/s | p50 ms | p99 ms | vs bare route, same concurrency | rounds: lowest–highest |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map(([name, r, baseline]) => {
      const spread = spreads.get(r);
      return `| ${name} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(100 * (spread ? ratios.get(r)! : r.rps / baseline), 0)} % | ${spread ? `${fmt(100 * spread[0], 0)}–${fmt(100 * spread[1], 0)} %` : ''} |`;
    }),
  ];
  const sql = [
    '| request | SQL statements / request |',
    '|---|---:|',
    `| grid, cached schedule | ${fmt(statements.gridWarm, 1)} |`,
    `| grid revalidation (304) | ${fmt(statements.grid304, 1)} |`,
    `| grid, uncached, 1 / 8 / 26 weeks (1 year of bookings) | ${fmt(statements.grid1, 1)} / ${fmt(statements.grid8, 1)} / ${fmt(statements.grid26, 1)} |`,
    `| grid, uncached, teacher with no bookings | ${fmt(statements.gridEmpty, 1)} |`,
    `| check, cached schedule | ${fmt(statements.checkWarm, 1)} |`,
    `| check, uncached, 1 / 4 slots | ${fmt(statements.check1, 1)} / ${fmt(statements.check4, 1)} |`,
    `| check, uncached, teacher with no bookings | ${fmt(statements.checkEmpty, 1)} |`,
    `| purchase (reads + one atomic batch) | ${fmt(statements.purchase, 1)} |`,
    `| confirm payment (reads + one atomic batch) | ${fmt(confirmStatements, 1)} |`,
    `| scale: grid / check, cached (${scale.filled.teachers} more teachers, ${scale.filled.bookings.toLocaleString('en')} more bookings) | ${fmt(scale.statementsGrid, 1)} / ${fmt(scale.statementsCheck, 1)} |`,
  ];
  const summary = [
    `Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} (Node ${process.version}, ${CONNECTIONS} keep-alive connections from a separate process, ${SECONDS} s per row, loopback). The "busy" teacher has ${bookings} bookings over a year; timings are for this machine, ratios are what carries over.`,
    '',
    ...table,
    '',
    `Grid (cached) reaches ${pct(gridWarm)} and check ${pct(checkWarm)} of the bare route's throughput, each the median of ${ROUNDS} rounds that alternate with the bare route (targets ≥ 50 % and ≥ 40 %). p99 at saturation (${CONNECTIONS} connections): grid ${fmt(gridWarm.p99)} ms, check ${fmt(checkWarm.p99)} ms; one client at a time: grid ${fmt(gridOne.p99)} ms, check ${fmt(checkOne.p99)} ms (target ≤ 10 ms).`,
    '',
    `Revalidation (304, no body) reaches ${pct(grid304)} of the bare route (target ≥ 70 %).`,
    '',
    `Buying is two requests: the purchase holds (${fmt(purchase.rps, 0)} req/s, p99 ${fmt(purchase.p99)} ms) and the partner's confirm pays (${fmt(confirm.rps, 0)} req/s, p99 ${fmt(confirm.p99)} ms), against ${fmt(bare.rps, 0)} req/s for the bare route.`,
    '',
    `Scale: with ${scale.filled.teachers} more teachers and ${scale.filled.bookings.toLocaleString('en')} more bookings in 10 more schools, the cached grid keeps ${keeps(scale.grid, gridWarm)} and the cached check ${keeps(scale.check, checkWarm)} of the small database's figures, each as a share of its own bare route (target ≥ 80 %); p99 ${fmt(scale.grid.p99)} ms and ${fmt(scale.check.p99)} ms.`,
    '',
    ...sql,
    ...(widget.length ? ['', ...widget] : []),
  ].join('\n');
  console.log(`\n${summary}`);

  const readmePath = join(ROOT, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  if (readme.includes(start) && readme.includes(end)) {
    const updated =
      readme.slice(0, readme.indexOf(start) + start.length) + '\n' + summary + '\n' + readme.slice(readme.indexOf(end));
    writeFileSync(readmePath, updated);
    console.log('README.md updated.');
  }
}

await main();

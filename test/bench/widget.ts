/**
 * Widget part of `npm run bench`: time from the script tag starting to load to the first grid
 * painted, in headless Debian Chromium on loopback against the real API, plus the bundle size.
 */
import { gzipSync } from 'node:zlib';
import { request as httpRequest } from 'node:http';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'vite';
import type { Browser } from 'playwright-core';
import { fileURLToPath } from 'node:url';
import { startNodeServer } from '../../api/server/host.js';
import { launchChromium } from '../support/browser.js';
import { tempDatabasePath } from '../support/target.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.BENCH_WIDGET_RUNS ?? 15);
/** The bundle budget `npm run size` enforces (test/bench/size.ts). */
const BUDGET_KB = 28.5;

/** The floor page, built into demo/bench-floor/ (ignored by git) so the same host serves it as the widget. */
const FLOOR_DIR = `${ROOT}demo/bench-floor`;
async function buildFloor(): Promise<void> {
  rmSync(FLOOR_DIR, { recursive: true, force: true });
  await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      outDir: FLOOR_DIR,
      emptyOutDir: true,
      minify: true,
      lib: { entry: `${ROOT}test/bench/floor/floor-grid.ts`, formats: ['es'], fileName: () => 'floor.js' },
    },
  });
  mkdirSync(FLOOR_DIR, { recursive: true });
  // The partner page itself with the floor element in place of ours: the page's own text, fonts and scripts
  // cost both the same, so the ratio is the element's alone.
  const partner = readFileSync(`${ROOT}demo/partner.html`, 'utf8');
  const floorPage = partner
    .replace('/dist/smart-pack-grid.js', '/demo/bench-floor/floor.js')
    .replace(
      /<smart-pack-grid [^>]*><\/smart-pack-grid>/,
      '<floor-grid src="/marketplace/teachers/teacher-amna/weekly-availability?subjectId=math&tierId=tier-10"></floor-grid>',
    );
  if (floorPage === partner || !floorPage.includes('<floor-grid')) throw new Error('demo/partner.html changed shape');
  writeFileSync(`${FLOOR_DIR}/floor.html`, floorPage);
  // And the element alone on an empty page, as the floor was first measured.
  writeFileSync(
    `${FLOOR_DIR}/bare.html`,
    '<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>floor</title>' +
      '<script type="module" src="/demo/bench-floor/floor.js"></script></head><body>' +
      '<floor-grid src="/marketplace/teachers/teacher-amna/weekly-availability?subjectId=math&tierId=tier-10"></floor-grid>' +
      '</body></html>',
  );
}

interface Sample {
  painted: number;
  fromNavigation: number;
}

/** One cold load of `url`: from its script tag starting (`script` ends the resource's URL) to the first gridcell painted. */
async function coldLoad(browser: Browser, url: string, tag: string, script: string): Promise<Sample> {
  // A fresh context per run: nothing cached, like a first visit to a partner page.
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'commit' });
    // A string, not a function: tsx's name-keeping helpers do not exist inside the page.
    return (await page.evaluate(`new Promise((resolve) => {
      const poll = () => {
        const cell = document.querySelector(${JSON.stringify(tag)})?.shadowRoot?.querySelector('[role="gridcell"]');
        // The frame after the cells exist is the one that shows them.
        if (cell) requestAnimationFrame(() => {
          const t = performance.now();
          const entry = performance.getEntriesByType('resource').find((e) => new URL(e.name).pathname === ${JSON.stringify(script)});
          resolve({ painted: t - (entry ? entry.startTime : 0), fromNavigation: t });
        });
        else requestAnimationFrame(poll);
      };
      poll();
    })`)) as Sample;
  } finally {
    await context.close();
  }
}

/** The bytes of one answer as they cross the wire (body only, as sent: compressed when the server compresses). */
function wireBytes(url: string, headers: Record<string, string>): Promise<{ bytes: number; encoding: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ bytes, encoding: String(res.headers['content-encoding'] ?? 'identity') }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * What a first visit to the partner page downloads from us: the script and the first screen's one answer (the
 * grid with the tiers and the zones' names, as the element asks for it from a browser in UTC).
 */
async function firstVisitBytes(base: string) {
  const browserLike = { 'accept-encoding': 'gzip, deflate, br, zstd', accept: '*/*' };
  const parts = [
    ['script', '/dist/smart-pack-grid.js'],
    [
      'grid with tiers',
      '/marketplace/teachers/teacher-amna/weekly-availability?subjectId=math&weeks=8&include=tiers&lang=en&viewerTimeZone=UTC',
    ],
  ] as const;
  const out: { name: string; bytes: number; encoding: string; raw: number }[] = [];
  for (const [name, path] of parts) {
    const sent = await wireBytes(`${base}${path}`, browserLike);
    const raw = await wireBytes(`${base}${path}`, { accept: '*/*' });
    out.push({ name, ...sent, raw: raw.bytes });
  }
  return out;
}

export async function benchWidget(): Promise<string[]> {
  await buildFloor();
  const db = tempDatabasePath('smart-pack-bench-widget-');
  const server = await startNodeServer({
    databasePath: db.path,
    port: 0,
    adminApiKey: 'bench',
    seed: true,
    demo: true,
  });
  const wire = await firstVisitBytes(server.url);
  const browser = await launchChromium();
  const samples: Sample[] = [];
  const floor: Sample[] = [];
  const bareFloor: Sample[] = [];
  try {
    // Interleaved, one load of each per round, so a change in the machine's speed costs all three alike.
    for (let i = 0; i < RUNS; i++) {
      const floorJs = '/demo/bench-floor/floor.js';
      floor.push(await coldLoad(browser, `${server.url}/demo/bench-floor/floor.html`, 'floor-grid', floorJs));
      bareFloor.push(await coldLoad(browser, `${server.url}/demo/bench-floor/bare.html`, 'floor-grid', floorJs));
      // The partner page as a partner serves it: one script tag and the element, from the server.
      samples.push(await coldLoad(browser, `${server.url}/partner`, 'smart-pack-grid', '/dist/smart-pack-grid.js'));
    }
  } finally {
    await browser.close();
    await server.close();
    db.cleanup();
    rmSync(FLOOR_DIR, { recursive: true, force: true });
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const worst = (values: number[]) => Math.max(...values);
  const painted = samples.map((s) => s.painted);
  const nav = samples.map((s) => s.fromNavigation);
  const floorPainted = floor.map((s) => s.painted);
  const bareFloorPainted = bareFloor.map((s) => s.painted);
  const ratio = median([...painted]) / median([...floorPainted]);
  const bareRatio = median([...painted]) / median([...bareFloorPainted]);
  const size = (file: string) => {
    const bytes = readFileSync(`${ROOT}widget/dist/${file}`);
    return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  };
  const es = size('smart-pack-grid.js');
  const iife = size('smart-pack-grid.iife.js');
  const kb = (n: number) => (n / 1024).toFixed(1);
  const lines = [
    '| widget on the partner page (headless Debian Chromium, loopback, seeded demo API) | median | worst |',
    '|---|---:|---:|',
    `| script tag start → first grid painted (${RUNS} cold loads) | ${median([...painted]).toFixed(0)} ms | ${worst(painted).toFixed(0)} ms |`,
    `| navigation start → first grid painted | ${median([...nav]).toFixed(0)} ms | ${worst(nav).toFixed(0)} ms |`,
    `| floor: the same page with a minimal Lit element (one JSON fetch, a 7 × 8 table) instead (${RUNS} cold loads) | ${median([...floorPainted]).toFixed(0)} ms | ${worst(floorPainted).toFixed(0)} ms |`,
    `| the floor element alone on an empty page (${RUNS} cold loads) | ${median([...bareFloorPainted]).toFixed(0)} ms | ${worst(bareFloorPainted).toFixed(0)} ms |`,
    '',
    `First grid painted at **${ratio.toFixed(2)} ×** the floor's median on the same page (target ≤ 1.5 ×); ${bareRatio.toFixed(2)} × the floor element alone on an empty page, which leaves out the partner page's own text and fonts.`,
    '',
    `First visit on the wire (what a partner page downloads from this host before the grid shows): ${wire
      .map((w) => `${w.name} ${kb(w.bytes)} KB (${w.encoding}; ${kb(w.raw)} KB uncompressed)`)
      .join(
        ', ',
      )}; **${kb(wire.reduce((n, w) => n + w.bytes, 0))} KB in all** against ${kb(wire.reduce((n, w) => n + w.raw, 0))} KB uncompressed.`,
    '',
    `Bundle: \`dist/smart-pack-grid.js\` ${kb(es.raw)} KB, **${kb(es.gzip)} KB gzip** including Lit (budget ${BUDGET_KB} KB); classic-script \`dist/smart-pack-grid.iife.js\` ${kb(iife.gzip)} KB gzip.`,
  ];
  console.log(lines.join('\n'));
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchWidget();

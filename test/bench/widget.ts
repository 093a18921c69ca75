/**
 * Widget part of `npm run bench`: time from the script tag starting to load to the first grid
 * painted, in headless Debian Chromium on loopback against the real API, plus the bundle size.
 */
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startNodeServer } from '../../api/server/host.js';
import { launchChromium } from '../support/browser.js';
import { tempDatabasePath } from '../support/target.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.BENCH_WIDGET_RUNS ?? 15);

export async function benchWidget(): Promise<string[]> {
  const db = tempDatabasePath('smart-pack-bench-widget-');
  const server = await startNodeServer({
    databasePath: db.path,
    port: 0,
    adminApiKey: 'bench',
    seed: true,
    demo: true,
  });
  const browser = await launchChromium();
  const samples: { painted: number; fromNavigation: number }[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      // A fresh context per run: nothing cached, like a first visit to a partner page.
      const context = await browser.newContext();
      const page = await context.newPage();
      // The partner page as a partner serves it: one script tag and the element, from the server.
      await page.goto(`${server.url}/partner`, { waitUntil: 'commit' });
      // A string, not a function: tsx's name-keeping helpers do not exist inside the page.
      const sample = (await page.evaluate(`new Promise((resolve) => {
        const poll = () => {
          const cell = document.querySelector('smart-pack-grid')?.shadowRoot?.querySelector('[role="gridcell"]');
          // The frame after the cells exist is the one that shows them.
          if (cell) requestAnimationFrame(() => {
            const t = performance.now();
            const script = performance.getEntriesByType('resource').find((e) => e.name.endsWith('/dist/smart-pack-grid.js'));
            resolve({ painted: t - (script ? script.startTime : 0), fromNavigation: t });
          });
          else requestAnimationFrame(poll);
        };
        poll();
      })`)) as { painted: number; fromNavigation: number };
      samples.push(sample);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
    db.cleanup();
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const worst = (values: number[]) => Math.max(...values);
  const painted = samples.map((s) => s.painted);
  const nav = samples.map((s) => s.fromNavigation);
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
    '',
    `Bundle: \`dist/smart-pack-grid.js\` ${kb(es.raw)} KB, **${kb(es.gzip)} KB gzip** including Lit (budget 25 KB); classic-script \`dist/smart-pack-grid.iife.js\` ${kb(iife.gzip)} KB gzip.`,
  ];
  console.log(lines.join('\n'));
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchWidget();

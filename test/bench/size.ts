/**
 * Size budget of the built widget (run `npm run build` first): prints raw and gzip sizes of every
 * shipped file and exits 1 when one is over budget, so CI fails before partners pay for it.
 * Usage: npx tsx test/bench/size.ts
 */
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

// Lit included. Raised from 25 KB for issue 11 (the phone and Arabic experience): the day view (a tablist of
// days and a listbox of times, ~0.9 KB), plurals through Intl.PluralRules with Arabic's six categories, zone
// names and "+1 day" marks took the grid from 24.99 KB to 27.4 KB; dropping hono/client for a hand-written
// call typed by the server's own route schema (widget/api-client.ts `callRoute`) won 1.5 KB back, to 25.9 KB.
// 27 KB kept about 1 KB of headroom. The first paint's work (issue 11: one request carrying the tiers and zone
// names, English and Arabic words and prices from tables instead of Intl's locale start-up, Temporal for zone
// offsets, slot symbols drawn in CSS, the compile hint) took it to 28.2 KB and the first grid from 2.4 × to
// 1.4 × its floor (README, "first paint"); 28.5 KB is the budget now. 30 KB stays the ceiling.
const BUDGET_GZIP = 28.5 * 1024;
// <smart-pack-teacher> (issue 12) is its own page's only script: measured at 20.7 KB gzip (Lit, the editor,
// time off, the schedule, both languages); 24 KB is its budget, about 15% of headroom.
const TEACHER_BUDGET_GZIP = 24 * 1024;
// Each is everything its host page loads.
const FILES = [
  'widget/dist/smart-pack-grid.js',
  'widget/dist/smart-pack-grid.iife.js',
  'widget/dist/smart-pack-package.js',
  'widget/dist/smart-pack-package.iife.js',
  'widget/dist/smart-pack-teacher.js',
  'widget/dist/smart-pack-teacher.iife.js',
];
const budget = (file: string) => (file.includes('smart-pack-teacher') ? TEACHER_BUDGET_GZIP : BUDGET_GZIP);

const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
let failed = false;
console.log(`file                                      raw         gzip        budget`);
for (const file of FILES) {
  if (!existsSync(file)) {
    console.error(`${file} is missing: run \`npm run build\` first`);
    failed = true;
    continue;
  }
  const raw = readFileSync(file);
  const gz = gzipSync(raw, { level: 9 }).length;
  const over = gz > budget(file);
  failed ||= over;
  console.log(
    `${file.padEnd(41)} ${kb(raw.length).padEnd(11)} ${kb(gz).padEnd(11)} ${kb(budget(file)).padEnd(11)} ${over ? 'OVER BUDGET' : 'ok'}`,
  );
}
process.exit(failed ? 1 : 0);

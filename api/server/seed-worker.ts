/**
 * `npm run seed:worker`: puts the demo data of `npm start` (api/db/seed.ts, relative to now) into
 * the Worker's local D1, through `wrangler d1 migrations apply --local` and
 * `wrangler d1 execute --local --file`.
 *
 *   npm run seed:worker -- [--persist-to DIR] [--now ISO] [--sql-out FILE]
 *
 * --persist-to  the same directory given to `wrangler dev --persist-to` (default .wrangler/state)
 * --now         the instant the demo is built around (default NOW, else the real clock)
 * --sql-out     only write the SQL file, e.g. for `wrangler d1 execute DB --remote --file FILE`
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyLocalMigrations, DEFAULT_PERSIST_DIR, isLocalD1Empty, seedLocalD1, seedSql } from './worker-local.js';

const { values } = parseArgs({
  options: { 'persist-to': { type: 'string' }, now: { type: 'string' }, 'sql-out': { type: 'string' } },
});
const nowText = values.now ?? process.env.NOW;
const now = nowText ? new Date(nowText) : new Date();
if (Number.isNaN(now.getTime())) throw new Error(`--now must be an ISO instant, got ${nowText}`);

if (values['sql-out']) {
  writeFileSync(values['sql-out'], seedSql(now));
  console.log(`Wrote the demo data around ${now.toISOString()} to ${values['sql-out']}`);
} else {
  const persistTo = resolve(values['persist-to'] ?? DEFAULT_PERSIST_DIR);
  await applyLocalMigrations(persistTo);
  if (!(await isLocalD1Empty(persistTo))) {
    // The seed uses fixed ids; on top of other data it would collide or mix with it.
    console.log(
      `The local D1 in ${persistTo} already has teachers; nothing seeded (remove the directory to start over).`,
    );
  } else {
    await seedLocalD1(persistTo, now);
    console.log(`Seeded the demo data around ${now.toISOString()} into the local D1 in ${persistTo}`);
  }
}

/**
 * `npm run dev:worker`: the API as a Cloudflare Worker on workerd with a local D1, no login and no
 * network. Applies the migrations, seeds the demo data into an empty database, then runs
 * `wrangler dev` on 127.0.0.1:8788 (PORT to change it). With the widget built (`npm run build`)
 * it serves the demo pages too, from static assets bound for this command only.
 *
 * Options: --persist-to DIR (default .wrangler/state, wrangler's own, so plain `wrangler d1 execute
 * DB --local` sees the same data). Environment: NOW (pinned clock), ADMIN_API_KEY, SEED=false.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  applyLocalMigrations,
  DEFAULT_PERSIST_DIR,
  isLocalD1Empty,
  ROOT,
  seedLocalD1,
  startWranglerDev,
  writeAssetsConfig,
} from './worker-local.js';

const { values } = parseArgs({ options: { 'persist-to': { type: 'string' } } });
const persistTo = resolve(values['persist-to'] ?? DEFAULT_PERSIST_DIR);
const port = Number(process.env.PORT ?? 8788);
const now = process.env.NOW;
if (now && Number.isNaN(Date.parse(now))) throw new Error(`NOW must be an ISO instant, got ${now}`);

console.log(`Local D1 in ${persistTo}`);
await applyLocalMigrations(persistTo);
if (process.env.SEED !== 'false' && (await isLocalD1Empty(persistTo))) {
  // The demo collects payment (hold → demo checkout → confirmed); DEMO_PAYMENT_MODE=none: confirmed at purchase.
  await seedLocalD1(persistTo, now ? new Date(now) : new Date(), {
    paymentMode: process.env.DEMO_PAYMENT_MODE === 'none' ? 'none' : 'required',
  });
  console.log('Seeded the demo data.');
}

/** wrangler.toml binds no assets (a deploy is the API alone); this command adds demo/ and the built widget. */
function demoConfig(): string | null {
  if (!existsSync(join(ROOT, 'widget/dist/smart-pack-grid.js'))) {
    console.log('No widget/dist/ yet: serving the API only (`npm run build` first for the demo pages).');
    return null;
  }
  return writeAssetsConfig(join(ROOT, '.wrangler/dev-worker'));
}

const config = demoConfig();
const worker = await startWranglerDev({
  persistTo,
  port,
  config: config ?? undefined,
  inherit: true,
  vars: {
    ...(now ? { NOW: now } : {}),
    ...(process.env.ADMIN_API_KEY ? { ADMIN_API_KEY: process.env.ADMIN_API_KEY } : {}),
  },
});

console.log(`
Smart Pack Grid on Cloudflare Workers (workerd, local D1) on ${worker.url}
  API             ${worker.url}/marketplace/teachers${
    config
      ? `
  demo            ${worker.url}/
  hosted booking  ${worker.url}/book/teacher-amna
  partner page    ${worker.url}/partner`
      : ''
  }
  admin key       ${process.env.ADMIN_API_KEY ? '(from ADMIN_API_KEY)' : 'demo-admin-key (wrangler.toml [vars])'}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void worker.stop().then(() => process.exit(0));
  });
}
worker.process.on('exit', (code) => process.exit(code ?? 0));

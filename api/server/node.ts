import { DEFAULT_TENANT_ID, DEMO_ADMIN_KEY } from '../contract/auth.js';
import { startNodeServer } from './host.js';
import { frameAncestorsFrom } from '../routes/pages.js';
import { rateLimitsFromEnv } from '../services/rate-limit.js';

/**
 * `npm start`: migrate, seed an empty database, serve API + demo on one port. NODE_ENV=production is a
 * production start: nothing seeded (the demo's ids are guessable) and no source maps served.
 */
const host = process.env.HOST ?? '127.0.0.1';
const loopback = host === '127.0.0.1' || host === 'localhost' || host === '::1';
const production = process.env.NODE_ENV === 'production';
// The documented demo key is fine on this machine only; reachable from elsewhere, or in production (a
// proxy in front makes loopback mean nothing), it must be set, and to something else.
if ((!process.env.ADMIN_API_KEY || process.env.ADMIN_API_KEY === DEMO_ADMIN_KEY) && (production || !loopback)) {
  console.error(
    `Refusing to start ${production ? 'in production' : `on ${host}`} with the demo admin key: set ADMIN_API_KEY.`,
  );
  process.exit(1);
}
const adminApiKey = process.env.ADMIN_API_KEY ?? DEMO_ADMIN_KEY;
const webhookUrl = process.env.WEBHOOK_URL;
if (webhookUrl && !process.env.WEBHOOK_SECRET) throw new Error('WEBHOOK_SECRET is required when WEBHOOK_URL is set');

const port = Number(process.env.PORT ?? 8787);
const databasePath = process.env.DATABASE_PATH ?? './data/smart-pack.db';
const server = await startNodeServer({
  databasePath,
  port,
  hostname: host,
  adminApiKey,
  // Unset or empty: any partner origin may embed the widget (the public API has no cookies).
  corsOrigin: process.env.CORS_ORIGIN ? process.env.CORS_ORIGIN.split(',').map((o) => o.trim()) : '*',
  seed: process.env.SEED !== 'false',
  production,
  frameAncestors: frameAncestorsFrom(process.env.FRAME_ANCESTORS),
  rateLimits: rateLimitsFromEnv(process.env),
  clientIpHeader: process.env.CLIENT_IP_HEADER || undefined,
  now: process.env.NOW,
  demo: true,
  // The demo collects payment (hold → demo checkout → confirmed); DEMO_PAYMENT_MODE=none: confirmed at purchase.
  demoPaymentMode: process.env.DEMO_PAYMENT_MODE === 'none' ? 'none' : 'required',
  // Always on: any tenant may name a webhook; WEBHOOK_URL serves the default tenant's rows.
  webhook: {
    url: webhookUrl,
    secret: process.env.WEBHOOK_SECRET,
    intervalMs: Number(process.env.OUTBOX_INTERVAL_MS ?? 5_000),
  },
  // Teachers' external calendars: synced every 15 minutes. In production only public https feeds are
  // fetched, unless CALENDAR_ALLOW_PRIVATE_URLS=true (a school whose feeds are on its own network).
  calendars: {
    allowPrivateUrls: !production || process.env.CALENDAR_ALLOW_PRIVATE_URLS === 'true',
    ...(process.env.CALENDAR_FETCH_TIMEOUT_MS ? { timeoutMs: Number(process.env.CALENDAR_FETCH_TIMEOUT_MS) } : {}),
  },
  calendarSync: {},
  // Public requests without a publishable key are the demo's (the seeded default tenant's); set
  // DEFAULT_TENANT_ID= (empty) to refuse them with 401. In production there is none unless named.
  defaultTenantId:
    process.env.DEFAULT_TENANT_ID === undefined
      ? production
        ? null
        : DEFAULT_TENANT_ID
      : process.env.DEFAULT_TENANT_ID || null,
}).catch((error: NodeJS.ErrnoException) => {
  // One line a person can act on, never the listen() stack trace (`npm start` checks before building, too).
  if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
    console.error(
      error.code === 'EADDRINUSE'
        ? `Port ${port} on ${host} is already in use: stop what runs there, or start on another port (PORT=${port + 1} npm start).`
        : `Cannot listen on ${host}:${port} (${error.code}): set PORT (and HOST) to an address this machine can use.`,
    );
    process.exit(1);
  }
  throw error;
});

const { seeded, packages } = server.database;
console.log(`Smart Pack Grid on ${server.url}
  database        ${seeded ? 'seeded demo data' : `kept ${packages} ${packages === 1 ? 'package' : 'packages'}`} (${databasePath})
  demo            ${server.url}/
  hosted booking  ${server.url}/book/teacher-amna
  pack page       ${server.url}${server.demoPackPath ?? '/pack/<package id>?t=<manage token> (the purchase’s manage link)'}
  partner page    ${server.url}/partner
  API             ${server.url}/marketplace/teachers`);
if (production) console.log('  mode            production (no demo data seeded, no source maps)');
if (webhookUrl) console.log(`  outbox          delivering to ${webhookUrl} (default tenant)`);
if (adminApiKey === DEMO_ADMIN_KEY)
  console.log(`  admin key       ${DEMO_ADMIN_KEY} (demo value; set ADMIN_API_KEY in production)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}

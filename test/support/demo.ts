import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startNodeServer, type NodeServerOptions, type RunningServer } from '../../api/server/host.js';
import { launchChromium } from './browser.js';
import { ADMIN_KEY, tempDatabasePath } from './target.js';

/** The pinned clock of the end-to-end demos. */
export const DEMO_NOW = '2026-11-30T06:00:00.000Z';

/**
 * `npm start` as a describe block sees it: the seeded demo on a fresh database file, served with its pages,
 * and Debian's Chromium; both stop after the block. Read `server` and `browser` inside the tests.
 */
export function demoInChromium(
  prefix: string,
  options: Partial<NodeServerOptions> = {},
): { readonly server: RunningServer; readonly browser: Browser } {
  const db = tempDatabasePath(prefix);
  const world = {} as { server: RunningServer; browser: Browser };
  beforeAll(async () => {
    world.server = await startNodeServer({
      databasePath: db.path,
      port: 0,
      adminApiKey: ADMIN_KEY,
      now: DEMO_NOW,
      seed: true,
      demo: true,
      ...options,
    });
    world.browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await world.browser?.close();
    await world.server?.close();
    db.cleanup();
  });
  return world;
}

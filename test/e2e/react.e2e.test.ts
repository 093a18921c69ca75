/**
 * The React wrapper at run time: an app bundled (by Vite) with react, react-dom and the built
 * smart-pack-grid/react renders the element, passes its props as properties and gets its events through
 * the typed on… props. Its types are checked by test/package/tarball.test.ts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeServer, type RunningServer } from '../../api/server/host.js';
import { launchChromium } from '../support/browser.js';
import { ADMIN_KEY, tempDatabasePath } from '../support/target.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NOW = '2026-11-30T06:00:00.000Z';

describe('smart-pack-grid/react in a React app', () => {
  const db = tempDatabasePath('smart-pack-react-');
  let out: string;
  let server: RunningServer;
  let app: Server;
  let appUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    expect(existsSync(join(ROOT, 'widget/dist/react.js')), 'run `npm run build` first').toBe(true);
    out = mkdtempSync(join(tmpdir(), 'smart-pack-react-app-'));
    await build({
      configFile: false,
      root: ROOT,
      logLevel: 'warn',
      define: { 'process.env.NODE_ENV': '"production"' },
      build: {
        outDir: out,
        emptyOutDir: true,
        minify: false,
        rolldownOptions: { input: join(ROOT, 'test/e2e/fixtures/react-app.js'), output: { entryFileNames: 'app.js' } },
      },
    });
    server = await startNodeServer({ databasePath: db.path, port: 0, adminApiKey: ADMIN_KEY, now: NOW, seed: true });
    const bundle = readFileSync(join(out, 'app.js'), 'utf8');
    app = createServer((req, res) => {
      if (req.url === '/app.js') return void res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
      if (req.url !== '/') return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><html lang="en"><body>
        <div id="root"></div><script>window.API_BASE = ${JSON.stringify(server.url)};</script>
        <script type="module" src="/app.js"></script></body></html>`);
    });
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    const address = app.address();
    appUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/`;
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (app ? app.close(() => resolve()) : resolve()));
    await server?.close();
    db.cleanup();
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('renders the grid from props and calls onSmartPackChange with the typed event', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(appUrl);
    const cell = page.locator('smart-pack-grid [role="gridcell"][aria-disabled="false"]').first();
    await cell.waitFor({ timeout: 15_000 });
    // Props reach the element as properties (teacherId is not reflected to an attribute).
    expect(
      await page.evaluate(
        () => (document.querySelector('smart-pack-grid') as HTMLElement & { teacherId: string }).teacherId,
      ),
    ).toBe('teacher-amna');
    const weekday = await cell.getAttribute('data-weekday');
    const time = await cell.getAttribute('data-time');
    await cell.click();
    await expect.poll(() => page.locator('#changes').innerText(), { timeout: 10_000 }).toBe('1');
    const events = await page.evaluate(() => (window as unknown as { changeEvents: unknown[] }).changeEvents);
    expect(events).toEqual([{ type: 'smart-pack-change', patterns: [{ weekday, time }] }]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

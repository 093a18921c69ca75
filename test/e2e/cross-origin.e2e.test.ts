/**
 * The README's embed, from a partner page on another origin: `<script type="module">` loads the built
 * widget from the host that serves the API, and a module script from another origin runs only when its
 * response carries CORS headers. The partner page is served on its own loopback port (another origin),
 * and Chromium loads the module from the Node host, then from the Worker's static assets (wrangler dev).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeServer, type RunningServer } from '../../api/server/host.js';
import { freePort, startWranglerDev, writeAssetsConfig, type RunningWorker } from '../../api/server/worker-local.js';
import { launchChromium } from '../support/browser.js';
import { ADMIN_KEY, tempDatabasePath } from '../support/target.js';

const WIDGET_DIST = fileURLToPath(new URL('../../widget/dist/', import.meta.url));
const MANIFEST = fileURLToPath(new URL('../../widget/custom-elements.json', import.meta.url));
const NOW = '2026-11-30T06:00:00.000Z';

/** A partner's own web server: one page with the script tag and the element, nothing else. */
async function startPartner(): Promise<{
  url: string;
  page(scriptOrigin: string, apiBase: string): string;
  close(): Promise<void>;
}> {
  const pages = new Map<string, string>();
  const server: Server = createServer((req, res) => {
    if (req.url === '/favicon.ico') return void res.writeHead(204).end();
    const body = pages.get(req.url ?? '');
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' }).end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    page(scriptOrigin, apiBase) {
      const path = `/page-${pages.size}.html`;
      pages.set(
        path,
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title>
        <script type="module" src="${scriptOrigin}/dist/smart-pack-grid.js"></script></head><body>
        <smart-pack-grid api-base="${apiBase}" teacher-id="teacher-amna" subject-id="math" student-id="student-demo"
          viewer-time-zone="Africa/Khartoum"></smart-pack-grid></body></html>`,
      );
      return `${url}${path}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Opens the partner page and waits for the grid; returns what the browser reported on the way. */
async function openEmbed(browser: Browser, pageUrl: string, scriptUrl: string) {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  // A blocked module script shows up as a console error and a failed request; a 4xx/5xx by its URL.
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.url()}: ${response.status()}`);
  });
  page.on('requestfailed', (request) => problems.push(`${request.url()}: ${request.failure()?.errorText}`));
  // Chromium reports a module script refused for want of CORS headers as a failed request, not a response.
  const script = new Promise<{ status: number; headers: Record<string, string> } | { failed: string }>((resolve) => {
    page.on('response', (r) => {
      if (r.url() === scriptUrl) resolve({ status: r.status(), headers: r.headers() });
    });
    page.on('requestfailed', (r) => {
      if (r.url() === scriptUrl) resolve({ failed: r.failure()?.errorText ?? 'failed' });
    });
  });
  await page.goto(pageUrl);
  const outcome = await script;
  if ('failed' in outcome) throw new Error(`Chromium did not load ${scriptUrl} from ${pageUrl}: ${outcome.failed}`);
  return { page, problems, response: outcome };
}

async function renderedGrid(page: Page) {
  await page.locator('smart-pack-grid [role="gridcell"][data-weekday]').first().waitFor({ timeout: 15_000 });
  return page.locator('smart-pack-grid [role="gridcell"][data-weekday]').count();
}

describe('embedding the widget from another origin', () => {
  const db = tempDatabasePath('smart-pack-cross-origin-');
  let server: RunningServer;
  let partner: Awaited<ReturnType<typeof startPartner>>;
  let browser: Browser;

  beforeAll(async () => {
    expect(existsSync(join(WIDGET_DIST, 'smart-pack-grid.js')), 'run `npm run build` first').toBe(true);
    server = await startNodeServer({
      databasePath: db.path,
      port: 0,
      adminApiKey: ADMIN_KEY,
      now: NOW,
      seed: true,
      demo: true,
    });
    partner = await startPartner();
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await partner?.close();
    await server?.close();
    db.cleanup();
  });

  describe('from the Node host (npm start)', () => {
    it('runs the <script type="module"> embed and renders the teacher\'s weekly grid', async () => {
      expect(new URL(partner.url).origin).not.toBe(new URL(server.url).origin);
      const { page, problems, response } = await openEmbed(
        browser,
        partner.page(server.url, server.url),
        `${server.url}/dist/smart-pack-grid.js`,
      );
      expect(response.status).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(await renderedGrid(page)).toBeGreaterThan(5);
      expect(problems).toEqual([]);
      await page.close();
    });

    it('answers a CORS preflight for the widget files', async () => {
      const response = await fetch(`${server.url}/dist/smart-pack-grid.js`, {
        method: 'OPTIONS',
        headers: { origin: partner.url, 'access-control-request-method': 'GET' },
      });
      expect(response.status).toBeLessThan(300);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
    });

    it('lets a partner page send the parent token to the API: the preflight allows Authorization', async () => {
      for (const [path, method] of [
        ['/auth/me', 'GET'],
        ['/packages', 'POST'],
        ['/packages/some-id', 'GET'],
      ] as const) {
        const response = await fetch(`${server.url}${path}`, {
          method: 'OPTIONS',
          headers: {
            origin: partner.url,
            'access-control-request-method': method,
            'access-control-request-headers': 'authorization, content-type',
          },
        });
        expect(response.status, path).toBeLessThan(300);
        expect(response.headers.get('access-control-allow-headers')?.toLowerCase(), path).toContain('authorization');
      }
    });

    it('uses only parts that custom-elements.json lists, in the grid and after choosing a slot', async () => {
      const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as {
        modules: Array<{ declarations?: Array<{ tagName?: string; cssParts?: Array<{ name: string }> }> }>;
      };
      const listed = manifest.modules
        .flatMap((mod) => mod.declarations ?? [])
        .find((d) => d.tagName === 'smart-pack-grid')!
        .cssParts!.map((p) => p.name);
      const { page } = await openEmbed(
        browser,
        partner.page(server.url, server.url),
        `${server.url}/dist/smart-pack-grid.js`,
      );
      await renderedGrid(page);
      const used = () =>
        page.evaluate(() =>
          [...document.querySelector('smart-pack-grid')!.shadowRoot!.querySelectorAll('[part]')].flatMap((node) =>
            node.getAttribute('part')!.split(/\s+/).filter(Boolean),
          ),
        );
      const parts = new Set(await used());
      await page.locator('smart-pack-grid [role="gridcell"][aria-disabled="false"]').first().click();
      await page.locator('smart-pack-grid [part~="session"]').first().waitFor({ timeout: 15_000 });
      for (const part of await used()) parts.add(part);
      expect(parts.size).toBeGreaterThan(10);
      expect([...parts].filter((part) => !listed.includes(part))).toEqual([]);
      await page.close();
    });
  });

  describe("from the Worker's static assets (wrangler dev, as npm run dev:worker binds them)", () => {
    let worker: RunningWorker | undefined;
    let dir: string;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'smart-pack-assets-'));
      worker = await startWranglerDev({
        persistTo: join(dir, 'state'),
        port: await freePort(),
        config: writeAssetsConfig(dir),
      });
    }, 120_000);

    afterAll(async () => {
      await worker?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('serves /dist/smart-pack-grid.js with CORS headers, and the module embed renders from it', async () => {
      // The API is the Node host here: the point is the Worker's asset headers, not a second database.
      const { page, problems, response } = await openEmbed(
        browser,
        partner.page(worker!.url, server.url),
        `${worker!.url}/dist/smart-pack-grid.js`,
      );
      expect(response.status).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(await renderedGrid(page)).toBeGreaterThan(5);
      expect(problems).toEqual([]);
      await page.close();
    });
  });
});

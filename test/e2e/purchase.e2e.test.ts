import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeServer, type RunningServer } from '../../api/server/host.js';
import { launchChromium } from '../support/browser.js';
import { buildScenario, WEEKDAY_RULES, type Scenario } from '../support/scenario.js';
import { ADMIN_KEY, tempDatabasePath } from '../support/target.js';

const BUILT = fileURLToPath(new URL('../../widget/dist/smart-pack-grid.js', import.meta.url));
const NOW = '2026-11-30T06:00:00.000Z';

describe('end to end: the built widget against the real API', () => {
  const db = tempDatabasePath('smart-pack-e2e-');
  let server: RunningServer;
  let browser: Browser;
  let scenario: Scenario;

  beforeAll(async () => {
    // `npm test` builds before it runs this suite; the test is about the shipped file.
    expect(existsSync(BUILT), 'run `npm run build` first: widget/dist/smart-pack-grid.js is missing').toBe(true);
    server = await startNodeServer({ databasePath: db.path, port: 0, adminApiKey: ADMIN_KEY, now: NOW, demo: true });
    scenario = await buildScenario(
      { url: server.url, adminKey: ADMIN_KEY, databasePath: db.path, close: async () => {} },
      { rules: WEEKDAY_RULES(['MONDAY', 'WEDNESDAY'], '14:00', '19:00') },
    );
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    db.cleanup();
  });

  it('picks two slots, sees 4 weeks, buys, and the API has 8 bookings on Mondays and Wednesdays', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // A host page on the API's origin, like the hosted page; the element comes from the built file only.
    await page.route(`${server.url}/e2e-host.html`, (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: `<!doctype html><html lang="en"><body>
      <smart-pack-grid api-base="${server.url}" teacher-id="${scenario.teacherId}" subject-id="${scenario.subjectId}"
        student-id="${scenario.studentId}" tier-id="${scenario.tierId}" viewer-time-zone="Africa/Khartoum"
        parent-token="${scenario.parent.token}"></smart-pack-grid>
      <script type="module" src="/dist/smart-pack-grid.js"></script></body></html>`,
      }),
    );
    await page.goto(`${server.url}/e2e-host.html`);
    await page.evaluate(() => {
      const w = window as unknown as { purchased: unknown };
      document.addEventListener('smart-pack-purchased', (event) => {
        w.purchased = (event as CustomEvent).detail.package;
      });
    });

    await page.locator('smart-pack-grid [role="gridcell"][data-weekday="MONDAY"][data-time="16:00"]').click();
    await page.locator('smart-pack-grid [role="gridcell"][data-weekday="WEDNESDAY"][data-time="17:00"]').click();
    await expect
      .poll(() => page.locator('smart-pack-grid [part~="summary"]').innerText(), { timeout: 10_000 })
      .toMatch(/4 weeks/);
    await expect.poll(() => page.locator('smart-pack-grid [part~="session"]').count(), { timeout: 10_000 }).toBe(8);

    // The default tenant needs no payment: the review's "Reserve and pay" answers active at once.
    await page.locator('smart-pack-grid [part~="continue-button"]').click();
    await page.locator('smart-pack-grid [part~="review"]').waitFor({ timeout: 10_000 });
    await page.locator('smart-pack-grid [part~="purchase-button"]').click();
    await page.locator('smart-pack-grid [part~="confirmation"]').waitFor({ timeout: 10_000 });
    const purchased = (await page.evaluate(() => (window as unknown as { purchased: { id: string } }).purchased)) as {
      id: string;
    };
    expect(purchased?.id).toBeTruthy();

    const { status, body } = await scenario.parent.api.get(`/packages/${purchased.id}`);
    expect(status).toBe(200);
    expect(body.sessions).toHaveLength(8);
    expect(body.sessions.map((s: any) => `${s.weekday} ${s.time}`)).toEqual([
      'WEDNESDAY 17:00',
      'MONDAY 16:00',
      'WEDNESDAY 17:00',
      'MONDAY 16:00',
      'WEDNESDAY 17:00',
      'MONDAY 16:00',
      'WEDNESDAY 17:00',
      'MONDAY 16:00',
    ]);
    expect(body.recurringPatterns).toEqual([
      { weekday: 'MONDAY', time: '16:00' },
      { weekday: 'WEDNESDAY', time: '17:00' },
    ]);
    expect(errors).toEqual([]);
    await page.close();
  });
  // The demo flow (demo family's token, a child chosen, the demo checkout, the manage link) is in pay.e2e.test.ts.
});

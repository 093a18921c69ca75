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

  it('shows the whole demo flow with no key to copy: the demo family’s token, a child chosen, the manage link', async () => {
    const demoDb = tempDatabasePath('smart-pack-e2e-demo-');
    const demo = await startNodeServer({
      databasePath: demoDb.path,
      port: 0,
      adminApiKey: ADMIN_KEY,
      now: NOW,
      seed: true,
      demo: true,
    });
    const page = await browser.newPage();
    try {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${demo.url}/book/teacher-amna?lang=en`);
      await page.locator('smart-pack-grid [role="gridcell"][data-weekday="MONDAY"][data-time="16:00"]').click();
      const chooser = page.locator('smart-pack-grid [part~="child-chooser"]');
      await chooser.waitFor({ timeout: 10_000 });
      expect(await chooser.innerText()).toMatch(/Sara Osman[\s\S]*Adam Osman/);
      await page.getByRole('radio', { name: 'Adam Osman' }).check();
      await page.locator('smart-pack-grid [part~="purchase-button"]').click();
      await page.locator('smart-pack-grid [part~="confirmation"]').waitFor({ timeout: 10_000 });
      const manage = page.locator('a.manage');
      const href = await manage.getAttribute('href');
      expect(href).toMatch(/^\/pack\/[\w-]+\?t=[\w-]+\.[\w-]+\.[\w-]+&lang=en$/);
      await manage.click();
      await page.locator('smart-pack-package [part~="sessions"]').waitFor({ timeout: 10_000 });
      // The pack page keeps the token out of the address bar, and the calendar link has the feed's own.
      expect(new URL(page.url()).searchParams.has('t')).toBe(false);
      const calendar = await page.locator('smart-pack-package [part~="calendar-link"]').getAttribute('href');
      expect(calendar).toMatch(/\/calendar\.ics\?token=/);
      expect(calendar).not.toContain(new URL(href!, demo.url).searchParams.get('t'));
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await demo.close();
      demoDb.cleanup();
    }
  }, 60_000);
});

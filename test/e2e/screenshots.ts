/**
 * `npm run screenshots`: the hosted booking page in English and Arabic, desktop and 360 px phone,
 * with two slots chosen (one busy in week 3, so a conflict with alternatives shows), saved to
 * docs/screenshots/ so a reviewer can look without running anything.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startNodeServer } from '../../api/server/host.js';
import { launchChromium } from '../support/browser.js';
import { tempDatabasePath } from '../support/target.js';

const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
// Pinned so the seeded weeks, and so the pictures, are the same on every run.
const NOW = '2026-11-30T06:00:00.000Z';

const db = tempDatabasePath('smart-pack-shots-');
const server = await startNodeServer({
  databasePath: db.path,
  port: 0,
  adminApiKey: 'shots',
  seed: true,
  now: NOW,
  demo: true,
});
const browser = await launchChromium();
mkdirSync(OUT, { recursive: true });
try {
  for (const lang of ['en', 'ar'] as const) {
    for (const [device, viewport] of [
      ['phone', { width: 360, height: 780 }],
      ['desktop', { width: 1280, height: 900 }],
    ] as const) {
      const context = await browser.newContext({
        viewport,
        deviceScaleFactor: device === 'phone' ? 2 : 1,
        locale: lang === 'ar' ? 'ar-SD' : 'en-GB',
        timezoneId: 'Europe/London',
      });
      const page = await context.newPage();
      await page.goto(`${server.url}/book/teacher-amna?lang=${lang}&tier=tier-10&subject=math`);
      // The phone shows the day view (a day's times, chosen through the strip of days), the desktop the grid.
      const pick = async (weekday: string, time: string) => {
        if (device === 'phone') {
          await page.locator(`smart-pack-grid [role="tab"]#day-${weekday}`).click();
          await page.locator(`smart-pack-grid [role="option"][data-time="${time}"]`).click();
        } else {
          await page
            .locator(`smart-pack-grid [role="gridcell"][data-weekday="${weekday}"][data-time="${time}"]`)
            .click();
        }
      };
      await pick('MONDAY', '16:00');
      await pick('THURSDAY', '17:00');
      await page.locator('smart-pack-grid [part~="conflict"]').first().waitFor();
      await page.locator('smart-pack-grid [part~="session"]').first().waitFor();
      await page.evaluate('window.scrollTo(0, 0)');
      await page.waitForTimeout(300);
      const file = `${OUT}booking-${lang}-${device}.png`;
      await page.screenshot({ path: file, fullPage: true });
      console.log(`saved ${file}`);
      await context.close();
    }
  }
  // The parent's pack afterwards (the seeded legacy package), with its sessions and actions.
  for (const lang of ['en', 'ar'] as const) {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: lang === 'ar' ? 'ar-SD' : 'en-GB',
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/pack/package-legacy?lang=${lang}`);
    await page.locator('smart-pack-package li').first().waitFor();
    await page.waitForTimeout(300);
    const file = `${OUT}package-${lang}-desktop.png`;
    await page.screenshot({ path: file, fullPage: true });
    console.log(`saved ${file}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
  db.cleanup();
}

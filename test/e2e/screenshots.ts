/**
 * `npm run screenshots` (after `npm run build`): phone first (360 × 780), then desktop, in Arabic and English —
 * the hosted booking page with two slots chosen (one busy in week 3, so a conflict with alternatives shows),
 * and the parent's pack page (the seeded package, opened with its manage link) with a reschedule's
 * "Move …? [Move] [Keep]" step open on the phone, and the teacher's /teach page — saved to docs/screenshots/ so a reviewer can look
 * without running anything.
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
// Phone first: most parents book on one.
const DEVICES = [
  ['phone', { width: 360, height: 780 }],
  ['desktop', { width: 1280, height: 900 }],
] as const;
mkdirSync(OUT, { recursive: true });
try {
  for (const lang of ['ar', 'en'] as const) {
    for (const [device, viewport] of DEVICES) {
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
  // The parent's pack afterwards (the seeded package, through its manage link), with its sessions and actions.
  const pack = server.demoPackPath;
  if (!pack) throw new Error('the seeded demo package is missing');
  for (const lang of ['ar', 'en'] as const) {
    for (const [device, viewport] of DEVICES) {
      const context = await browser.newContext({
        viewport,
        deviceScaleFactor: device === 'phone' ? 2 : 1,
        locale: lang === 'ar' ? 'ar-SD' : 'en-GB',
        timezoneId: 'Africa/Khartoum',
      });
      const page = await context.newPage();
      await page.goto(`${server.url}${pack}&lang=${lang}`);
      await page.locator('smart-pack-package li').first().waitFor();
      await page.waitForTimeout(300);
      const file = `${OUT}package-${lang}-${device}.png`;
      await page.screenshot({ path: file, fullPage: true });
      console.log(`saved ${file}`);
      if (device === 'phone') {
        // Picking a new time asks first: the confirmation step, in place of the times.
        await page.locator('smart-pack-package [part~="reschedule-button"]').first().click();
        await page.locator('smart-pack-package [part~="slot"]').first().click();
        await page.locator('smart-pack-package [part~="confirm"]').waitFor();
        await page.locator('smart-pack-package [part~="picker"]').scrollIntoViewIfNeeded();
        await page.waitForTimeout(200);
        const confirm = `${OUT}package-${lang}-phone-confirm.png`;
        await page.screenshot({ path: confirm });
        console.log(`saved ${confirm}`);
      }
      await context.close();
    }
  }
  // The teacher's own page (/teach, the demo teacher's token): the weekly hours, time off and the schedule.
  for (const lang of ['ar', 'en'] as const) {
    for (const [device, viewport] of DEVICES) {
      const context = await browser.newContext({
        viewport,
        deviceScaleFactor: device === 'phone' ? 2 : 1,
        locale: lang === 'ar' ? 'ar-SD' : 'en-GB',
        timezoneId: 'Africa/Khartoum',
      });
      const page = await context.newPage();
      await page.goto(`${server.url}/teach?lang=${lang}`);
      await page.locator('smart-pack-teacher [role="gridcell"]').first().waitFor();
      await page.waitForTimeout(300);
      const file = `${OUT}teacher-${lang}-${device}.png`;
      await page.screenshot({ path: file, fullPage: true });
      console.log(`saved ${file}`);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
  db.cleanup();
}

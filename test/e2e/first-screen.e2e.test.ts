import { describe, expect, it } from 'vitest';
import { demoInChromium } from '../support/demo.js';

/**
 * What `npm start` shows a new user first, in an Arabic browser (Chromium): the demo page in Arabic like the
 * hosted pages, its JSON log left to right, the pack page from the printed manage link, and no 404 (favicon).
 */
describe('the first screens of npm start in an Arabic browser', () => {
  const demo = demoInChromium('smart-pack-first-');

  async function open(path: string, locale: string) {
    const context = await demo.browser.newContext({ locale, viewport: { width: 360, height: 780 } });
    const page = await context.newPage();
    const missing: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 404) missing.push(new URL(response.url()).pathname);
    });
    await page.goto(`${demo.server.url}${path}`);
    return { page, missing, close: () => context.close() };
  }

  it('opens the demo page in the demo.browser’s language, right to left, with the event log left to right', async () => {
    const { page, missing, close } = await open('/', 'ar-SD');
    await page.locator('#teachers button').first().waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
      'ar',
      'rtl',
    ]);
    expect(await page.locator('h1').innerText()).toBe('شبكة الباقة الذكية — عرض');
    expect(await page.locator('#log').getAttribute('dir')).toBe('ltr');
    // Zones by name in the page's language, not the IANA id.
    expect(await page.locator('#teachers').innerText()).not.toContain('Africa/Khartoum');
    // The demo.browser asked for the icon and got one.
    await page.waitForLoadState('networkidle');
    expect(missing).toEqual([]);
    await close();
    // ?lang= still wins over the demo.browser.
    const english = await open('/?lang=en', 'ar-SD');
    await english.page.locator('#teachers button').first().waitFor();
    expect(await english.page.evaluate(() => document.documentElement.lang)).toBe('en');
    await english.close();
  });

  it('opens the seeded pack from the manage link npm start prints, in Arabic, with the teacher and what was paid', async () => {
    expect(demo.server.demoPackPath).toMatch(/^\/pack\/package-legacy\?t=/);
    const { page, missing, close } = await open(demo.server.demoPackPath!, 'ar-SD');
    await page.locator('smart-pack-package [part~="sessions"]').waitFor();
    expect(await page.locator('smart-pack-package [part~="teacher"]').innerText()).toBe('اللغة العربية مع عمر بابكر');
    expect(await page.locator('smart-pack-package [part~="paid"]').innerText()).toMatch(/^المدفوع /);
    expect(await page.locator('smart-pack-package [part~="calendar-link"]').getAttribute('href')).toMatch(
      /calendar\.ics\?token=[^&]+&lang=ar$/,
    );
    await page.waitForLoadState('networkidle');
    expect(missing).toEqual([]);
    await close();
  });
});

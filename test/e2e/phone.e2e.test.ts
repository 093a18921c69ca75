/**
 * Issue 11 on the real hosted booking page (demo/book.html served by `npm start`, the built widget, the seeded
 * demo school): on a 360 × 780 phone, in English and in an Arabic browser, the first free time is in the first
 * screen (no scrolling), nothing scrolls sideways, the Arabic page shows the tiers' Arabic names and no raw
 * IANA zone id, the layout follows the element's width live (grid and back, same selection), and a time
 * booked from the day view reaches the review.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoInChromium } from '../support/demo.js';

const BUILT = fileURLToPath(new URL('../../widget/dist/smart-pack-grid.js', import.meta.url));

describe('end to end: the hosted booking page on a 360 × 780 phone', () => {
  const demo = demoInChromium('smart-pack-phone-');
  beforeAll(() => {
    expect(existsSync(BUILT), 'run `npm run build` first: widget/dist/smart-pack-grid.js is missing').toBe(true);
  });

  for (const lang of ['en', 'ar'] as const) {
    it(`shows the first free time in the first screen, without sideways scrolling (${lang})`, async () => {
      const context = await demo.browser.newContext({
        viewport: { width: 360, height: 780 },
        deviceScaleFactor: 2,
        locale: lang === 'ar' ? 'ar-SD' : 'en-GB',
        timezoneId: 'Africa/Khartoum',
      });
      try {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        // No ?lang=: the page follows the demo.browser's language.
        await page.goto(`${demo.server.url}/book/teacher-amna`);
        const free = page.locator('smart-pack-grid [role="option"][aria-disabled="false"]').first();
        await free.waitFor();
        await page.waitForTimeout(200);
        const box = (await free.boundingBox())!;
        expect(box.y + box.height, 'the first free time is below the first screen').toBeLessThanOrEqual(780);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
        const shown = await page.evaluate(
          () => document.querySelector('smart-pack-grid')!.shadowRoot!.textContent!.replace(/\s+/g, ' ') ?? '',
        );
        expect(shown).not.toMatch(/Africa\/|Europe\//);
        expect(shown).not.toMatch(/[٠-٩]/);
        if (lang === 'ar') {
          const names = await page
            .locator('smart-pack-grid [part~="tier-select"] option')
            .evaluateAll((options) => options.map((o) => o.textContent!.split(' · ')[0]!.trim()));
          expect(names).toEqual(['البداية', 'الباقة الذكية', 'الفصل']);
        }

        // Book a time from the day view, through to the review.
        const [weekday, time] = await free.evaluate((o: HTMLElement) => [o.dataset.weekday!, o.dataset.time!]);
        await free.click();
        await page.locator('smart-pack-grid [part~="session"]').first().waitFor();
        // Turned to landscape on a tablet: the grid, with the same time selected; and back to the day view.
        await page.setViewportSize({ width: 1024, height: 780 });
        const chosen = page.locator(
          `smart-pack-grid [role="gridcell"][data-weekday="${weekday}"][data-time="${time}"]`,
        );
        await chosen.waitFor();
        expect(await chosen.getAttribute('aria-selected')).toBe('true');
        await page.setViewportSize({ width: 360, height: 780 });
        await page.locator('smart-pack-grid [role="tablist"]').waitFor();
        const children = page.locator('smart-pack-grid [part~="child"] input');
        if (await children.count()) await children.first().check();
        await page.locator('smart-pack-grid [part~="continue-button"]').click();
        await page.locator('smart-pack-grid [part~="review"]').waitFor();
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }, 60_000);
  }
});

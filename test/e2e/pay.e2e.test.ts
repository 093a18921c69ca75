// The whole pay-to-confirm flow in Chromium on the real Node server with the demo (npm start): grid →
// review → "Reserve and pay" (a hold) → the demo checkout → the widget sees the package active by polling →
// manage. Includes a reload in the middle of paying: the hold and its countdown survive it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoInChromium } from '../support/demo.js';

const BUILT = fileURLToPath(new URL('../../widget/dist/smart-pack-grid.js', import.meta.url));
const grid = (selector: string) => `smart-pack-grid ${selector}`;

/** Picks the first time free every week, the given child, goes through the review and reserves. */
async function reserve(page: Page, child: string) {
  await page.locator(grid('[role="gridcell"][part~="slot-free"]')).first().click();
  await page.locator(grid('[part~="child-chooser"]')).waitFor({ timeout: 10_000 });
  await page.getByRole('radio', { name: child }).check();
  const go = page.locator(grid('[part~="continue-button"]'));
  await expect.poll(() => go.isEnabled(), { timeout: 10_000 }).toBe(true);
  await go.click();
  await page.locator(grid('[part~="review"]')).waitFor({ timeout: 10_000 });
  // Nothing is decided silently: every busy week (if any) is confirmed by hand.
  for (const box of await page.locator(grid('[part~="week-confirm"] input')).all()) await box.check();
  await page.locator(grid('[part~="purchase-button"]')).click();
}

describe('end to end: pay to confirm through the demo checkout', () => {
  // As `npm start`: the demo school collects payment.
  const demo = demoInChromium('smart-pack-e2e-pay-', { demoPaymentMode: 'required' });
  beforeAll(() => {
    expect(existsSync(BUILT), 'run `npm run build` first: widget/dist/smart-pack-grid.js is missing').toBe(true);
  });

  it('holds, survives a reload mid-payment, is paid in the demo checkout and confirmed from the API', async () => {
    const page = await demo.browser.newPage();
    try {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${demo.server.url}/book/teacher-amna?lang=en`);
      await reserve(page, 'Adam Osman');

      // The hold: the widget's panel with its countdown, and the page's demo checkout opened by smart-pack-hold.
      await page.locator(grid('[part~="hold"]')).waitFor({ timeout: 10_000 });
      expect(await page.locator(grid('[part~="countdown"]')).innerText()).toMatch(/Time left to pay: 1[45]:\d\d/);
      const checkout = page.locator('#demo-checkout');
      await checkout.waitFor({ state: 'visible', timeout: 10_000 });
      expect(await checkout.innerText()).toMatch(/Demo checkout[\s\S]*Amount to pay/);

      // A reload in the middle of paying: the hold, its countdown and the checkout come back; nothing is bought twice.
      await page.reload();
      await page.locator(grid('[part~="hold"]')).waitFor({ timeout: 10_000 });
      expect(await page.locator(grid('[part~="countdown"]')).innerText()).toMatch(/1[45]:\d\d/);
      await checkout.waitFor({ state: 'visible', timeout: 10_000 });
      expect(await page.locator(grid('[part~="confirmation"]')).count()).toBe(0);

      // Paying in the demo checkout confirms over the API; the widget learns it by polling.
      await page.getByRole('button', { name: 'Pay (demo)' }).click();
      await page.locator(grid('[part~="confirmation"]')).waitFor({ timeout: 30_000 });
      expect(await page.locator(grid('[part~="confirmation"] h2')).innerText()).toMatch(/Booked!/);
      const focused = await page.evaluate(
        () => document.querySelector('smart-pack-grid')?.shadowRoot?.activeElement?.id ?? '',
      );
      expect(focused).toBe('done-title');
      const calendar = await page.locator(grid('[part~="calendar-link"]')).getAttribute('href');
      expect(calendar).toMatch(/\/calendar\.ics\?token=/);

      // "Manage my pack" is the widget's own link (the signed manage link), on every embed.
      const manage = page.locator(grid('[part~="manage-link"]'));
      const href = await manage.getAttribute('href');
      expect(href).toMatch(/^\/pack\/[\w-]+\?t=[\w-]+\.[\w-]+\.[\w-]+&lang=en$/);
      const id = href!.split('/')[2]!.split('?')[0]!;
      const token = new URL(href!, demo.server.url).searchParams.get('t')!;
      const res = await fetch(`${demo.server.url}/packages/${id}`, { headers: { authorization: `Bearer ${token}` } });
      const pkg = (await res.json()) as { state: string; paymentReference: string | null };
      expect(pkg.state).toBe('active');
      expect(pkg.paymentReference).toMatch(/^demo-/);
      await manage.click();
      await page.locator('smart-pack-package [part~="sessions"]').waitFor({ timeout: 10_000 });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);

  it('runs the same flow in Arabic, right to left', async () => {
    const page = await demo.browser.newPage();
    try {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${demo.server.url}/book/teacher-amna?lang=ar`);
      // The demo school names its children in Arabic too: the Arabic page shows that name.
      await reserve(page, 'سارة عثمان');
      await page.locator(grid('[part~="hold"]')).waitFor({ timeout: 10_000 });
      expect(await page.locator(grid('#hold-title')).innerText()).toContain('بانتظار الدفع');
      const checkout = page.locator('#demo-checkout');
      await checkout.waitFor({ state: 'visible', timeout: 10_000 });
      expect(await checkout.getAttribute('dir')).toBe('rtl');
      await page.getByRole('button', { name: 'ادفع (تجريبي)' }).click();
      await page.locator(grid('[part~="confirmation"]')).waitFor({ timeout: 30_000 });
      expect(await page.locator(grid('[part~="manage-link"]')).innerText()).toBe('إدارة باقتي');
      expect(await page.locator(grid('[part~="calendar-link"]')).innerText()).toBe('أضف إلى التقويم');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 90_000);
});

import { describe, expect, it } from 'vitest';
import { demoInChromium } from '../support/demo.js';

/**
 * The teacher's side through `npm start`'s own pages: /teach with the demo teacher's token (served on this
 * machine only), the built <smart-pack-teacher>, and the parent's hosted booking page for the same teacher.
 */
describe('end to end: the teacher edits the week in /teach, the parent sees it', () => {
  const world = demoInChromium('smart-pack-teach-e2e-');

  const monday16 = '[role="gridcell"][data-weekday="MONDAY"][data-time="16:00"]';

  it('removes Monday 16:00 in /teach and the parent’s grid no longer offers it', async () => {
    const { server, browser } = world;
    const parent = await browser.newPage();
    // The seed's teacher offers Monday 16:00 before anything changes.
    await parent.goto(`${server.url}/book/teacher-amna?lang=en`);
    await parent.locator(`smart-pack-grid ${monday16}`).waitFor({ timeout: 15_000 });
    await parent.close();

    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}/teach?lang=en`);
    const teacher = page.locator('smart-pack-teacher');
    // Both half hours of the 16:00 hour are in a range: the keyboard takes each out of it (APG grid, Space).
    for (const time of ['16:00', '16:30']) {
      const cell = teacher.locator(`[role="gridcell"][data-weekday="MONDAY"][data-time="${time}"]`);
      await cell.waitFor({ timeout: 15_000 });
      await cell.focus();
      await page.keyboard.press('Space');
    }
    const rules = page.waitForResponse(
      (r) => r.url().endsWith('/teacher/availability-rules') && r.request().method() === 'PUT',
    );
    await teacher.locator('[part~="save-button"]').click();
    expect((await rules).status()).toBe(200);
    const saved = (await (await rules).json()) as { rules: { weekday: string; startTime: string; endTime: string }[] };
    // Monday's hours now have a gap over 16:00–17:00, and nothing else of the week was lost.
    const monday = saved.rules.filter((r) => r.weekday === 'MONDAY');
    expect(monday.some((r) => r.startTime <= '16:00' && r.endTime > '16:00')).toBe(false);
    expect(monday.some((r) => r.startTime <= '16:30' && r.endTime > '16:30')).toBe(false);
    expect(saved.rules.some((r) => r.weekday === 'WEDNESDAY')).toBe(true);

    // A parent opening the booking page now: the grid is computed from the new week.
    const after = await browser.newPage();
    await after.goto(`${server.url}/book/teacher-amna?lang=en`);
    const grid = after.locator('smart-pack-grid');
    await grid.locator('[role="gridcell"][data-weekday="MONDAY"]').first().waitFor({ timeout: 15_000 });
    expect(await grid.locator(monday16).count()).toBe(0);
    // The check, the authority on what a purchase may take, refuses the time too.
    const check = await fetch(`${server.url}/packages/check-multi-slot-availability`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        teacherId: 'teacher-amna',
        tierId: 'tier-10',
        patterns: [{ weekday: 'MONDAY', time: '16:00' }],
      }),
    });
    const verdict = (await check.json()) as { patterns: { availableWeeks: number; conflicts: { reason: string }[] }[] };
    expect(check.status).toBe(200);
    // Not one Monday 16:00 is free any more, and the reason given is the teacher's hours, not a booking.
    expect(verdict.patterns[0]!.availableWeeks).toBe(0);
    expect(new Set(verdict.patterns[0]!.conflicts.map((c) => c.reason))).toContain('outside_availability');
    expect(errors).toEqual([]);
  }, 90_000);
});

import type { Browser, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoInChromium } from '../support/demo.js';
import { LEGACY_FAMILY } from '../../api/db/seed.js';
import { parentFor } from '../support/parents.js';

/** Opens `path` and collects what the page's CSP blocked, and any script error. */
async function open(browser: Browser, url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`error: ${error.message}`));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) =>
      console.error(`Refused to load: ${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  await page.goto(url);
  return { page, problems };
}

describe('the demo pages under their Content-Security-Policy (Chromium)', () => {
  const demo = demoInChromium('smart-pack-csp-');

  it('renders the hosted booking page: the widget, its inline script and its styles run, nothing is blocked', async () => {
    const { page, problems } = await open(
      demo.browser,
      `${demo.server.url}/book/teacher-amna?tier=tier-10&subject=math`,
    );
    await page.locator('smart-pack-grid [role="gridcell"][aria-disabled="false"]').first().waitFor();
    // The inline module script ran (it sets the title from the API).
    expect(await page.title()).toMatch(/Amna/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('renders the demo, the partner page and the manage page without violations', async () => {
    // The pack page shows a package to its own family only: open it as the legacy pack's guardian.
    const family = await parentFor(demo.server, [LEGACY_FAMILY.student], { guardian: LEGACY_FAMILY.guardian });
    for (const [path, selector] of [
      ['/', 'smart-pack-grid [role="gridcell"]'],
      ['/partner', 'smart-pack-grid [role="gridcell"]'],
      [`/pack/package-legacy?t=${family.token}`, 'smart-pack-package li'],
    ] as const) {
      const { page, problems } = await open(demo.browser, demo.server.url + path);
      await page.locator(selector).first().waitFor();
      expect(problems, path).toEqual([]);
      await page.close();
    }
  });
});

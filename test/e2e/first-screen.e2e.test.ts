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

/**
 * The booking's first screen on a partner page and the hosted page (issue 11, "first paint"): the grid comes
 * from one request, whose answer carries the tiers and the zones' names, and nothing on the way to it builds
 * an `Intl` date or number formatter (a page's first one costs 12–20 ms of locale start-up).
 */
describe('the booking’s first screen', () => {
  const demo = demoInChromium('smart-pack-first-grid-');

  // Counts the formatters built before the widget shows its first time, and the widget's API requests.
  const INSTRUMENT = `(() => {
    window.__builtBeforeGrid = [];
    const shown = () => !!document.querySelector('smart-pack-grid')?.shadowRoot?.querySelector('[role=gridcell],[role=option]');
    for (const kind of ['DateTimeFormat', 'NumberFormat']) {
      const Original = Intl[kind];
      Intl[kind] = new Proxy(Original, {
        construct(target, args) {
          if (!shown()) window.__builtBeforeGrid.push(kind + ' ' + JSON.stringify(args));
          return Reflect.construct(target, args);
        },
        apply(target, self, args) {
          if (!shown()) window.__builtBeforeGrid.push(kind + ' ' + JSON.stringify(args));
          return Reflect.apply(target, self, args);
        },
      });
    }
  })()`;

  it.each([
    ['a partner page in English, viewed from Tokyo', '/partner', 'en-US', 'Asia/Tokyo', 1280],
    [
      'the hosted page in Arabic on a phone, viewed from Khartoum',
      '/book/teacher-amna',
      'ar-SD',
      'Africa/Khartoum',
      360,
    ],
  ])('%s: one request, no Intl formatter, zones by name', async (_name, path, locale, timezoneId, width) => {
    const context = await demo.browser.newContext({ locale, timezoneId, viewport: { width, height: 780 } });
    const page = await context.newPage();
    await page.addInitScript(INSTRUMENT);
    const requests: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/marketplace/teachers/teacher-amna/')) requests.push(url.pathname + url.search);
    });
    await page.goto(`${demo.server.url}${path}`);
    await page.locator('smart-pack-grid [role=gridcell], smart-pack-grid [role=option]').first().waitFor();
    expect(await page.evaluate('window.__builtBeforeGrid')).toEqual([]);
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatch(/\/weekly-availability\?.*include=tiers/);
    // Unescaped (a zone's "/" included), so the API's fast path for the grid takes it.
    expect(requests[0]).toContain(`viewerTimeZone=${timezoneId}`);
    expect(requests[0]).not.toContain('%');
    // The names the API gave are the ones this browser's own Intl writes (Node's ICU and Chromium's agree).
    const zones = [...new Set(['Africa/Khartoum', timezoneId])];
    const expected = (await page.evaluate(
      `(${String((lang: string, zones: string[]) =>
        zones.map((timeZone) => {
          const at = Date.parse('2026-11-30T06:00:00Z');
          const part = (style: string) =>
            new Intl.DateTimeFormat(lang, { timeZone, timeZoneName: style as 'long', numberingSystem: 'latn' })
              .formatToParts(at)
              .find((p) => p.type === 'timeZoneName')!.value;
          const name = /\d|\//.test(part('longGeneric')) ? part('long') : part('longGeneric');
          return `${name} (${part('shortOffset')})`;
        }),
      )})(${JSON.stringify(locale.slice(0, 2))}, ${JSON.stringify(zones)})`,
    )) as string[];
    const legend = await page.locator('smart-pack-grid [part=timezone]').innerText();
    for (const label of expected) expect(legend).toContain(label);
    expect(legend).not.toContain('Africa/Khartoum');
    await context.close();
  });
});

import { chai, expect, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import 'axe-core';
import type { SmartPackGrid } from '../../widget/index.js';
import { FakeApi } from './fake-api.js';
import { $, $$, buy, cell, checked, mount, text } from './helpers.js';

declare global {
  interface Window {
    axe: typeof import('axe-core');
  }
}

/** Runs axe on the element (axe follows open shadow roots) and fails listing every violation. */
async function expectNoViolations(el: SmartPackGrid, state: string) {
  const result = await window.axe.run(el, { resultTypes: ['violations'] });
  const summary = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  expect(summary, `axe violations in state "${state}"`).to.deep.equal([]);
}

// Full violation lists in failure messages, not chai's truncated `[ Array(1) ]`.
chai.config.truncateThreshold = 0;

let fake: FakeApi;
beforeEach(() => {
  fake = new FakeApi().install();
});
afterEach(() => fake.uninstall());

describe('<smart-pack-grid>', () => {
  describe('accessibility (axe-core)', () => {
    it('(self-check) the axe helper sees violations inside the shadow root', async () => {
      const el = await mount();
      const bad = document.createElement('button'); // no accessible name
      el.shadowRoot!.append(bad);
      let message = '';
      try {
        await expectNoViolations(el, 'broken on purpose');
      } catch (e) {
        message = String(e);
      }
      bad.remove();
      expect(message).to.include('button-name');
    });

    it('has no violation while loading', async () => {
      fake.hanging = /./;
      const el = await mount({}, 'none');
      expect($(el, '[part~=skeleton]')).to.exist;
      await expectNoViolations(el, 'loading');
    });

    it('has no violation showing the grid', async () => {
      const el = await mount({ 'viewer-time-zone': 'Europe/London' });
      await expectNoViolations(el, 'grid');
    });

    it('has no violation with selected slots, conflicts and a refusal notice', async () => {
      const el = await mount();
      for (const [d, t] of [
        ['SUNDAY', '16:00'],
        ['MONDAY', '18:00'],
        ['TUESDAY', '16:00'],
        ['WEDNESDAY', '17:00'],
        ['THURSDAY', '17:00'],
      ] as const)
        cell(el, d, t).click();
      await el.updateComplete;
      await checked(el);
      expect($(el, '[part~=conflicts]')).to.exist;
      expect($(el, '[part~=notice]')).to.exist;
      await expectNoViolations(el, 'selected with conflicts');
    });

    it('has no violation in the error state', async () => {
      fake.failing = /tiers/;
      const el = await mount({}, 'none');
      await waitUntil(() => $(el, '[part~=error]'));
      await expectNoViolations(el, 'error');
    });

    it('has no violation in the empty state', async () => {
      fake.empty = true;
      const el = await mount({}, 'none');
      await waitUntil(() => $(el, '[part~=empty]'));
      await expectNoViolations(el, 'empty');
    });

    it('has no violation after a purchase', async () => {
      const el = await mount();
      cell(el, 'MONDAY', '16:00').click();
      await el.updateComplete;
      await checked(el);
      await buy(el);
      await waitUntil(() => $(el, '[part~=confirmation]'));
      await expectNoViolations(el, 'purchased');
    });

    it('has no violation with the child chooser, in English and in Arabic', async () => {
      for (const lang of ['en-US', 'ar']) {
        const el = await mount({ lang, 'student-id': null });
        cell(el, 'MONDAY', '16:00').click();
        await el.updateComplete;
        await checked(el);
        await waitUntil(() => $$(el, '[part~=child-chooser] input').length === 2, 'no child chooser');
        await expectNoViolations(el, `child chooser (${lang})`);
        // Native radios: one Tab stop, arrows move between the children.
        ($(el, '[part~=child-chooser] input') as HTMLInputElement).focus();
        await sendKeys({ press: 'ArrowDown' });
        await el.updateComplete;
        expect(($$(el, '[part~=child-chooser] input') as HTMLInputElement[]).map((r) => r.checked)).to.deep.equal([
          false,
          true,
        ]);
      }
    });

    it('has no violation in Arabic, right to left, with a selection', async () => {
      const el = await mount({ lang: 'ar', 'viewer-time-zone': 'Asia/Riyadh' });
      cell(el, 'MONDAY', '16:00').click();
      cell(el, 'WEDNESDAY', '17:00').click();
      await el.updateComplete;
      await checked(el);
      await expectNoViolations(el, 'Arabic RTL');
    });
  });

  describe('screen reader', () => {
    it('exposes a WAI-ARIA grid with rows, headers and multi-selectable gridcells', async () => {
      const el = await mount();
      const grid = $(el, '[role=grid]')!;
      expect(grid.getAttribute('aria-multiselectable')).to.equal('true');
      expect(grid.getAttribute('aria-labelledby')).to.equal('grid-title');
      const rows = $$(el, '[role=grid] > [role=row]');
      expect(rows).to.have.length(5);
      for (const row of rows.slice(1)) expect(row.firstElementChild!.getAttribute('role')).to.equal('rowheader');
      expect(cell(el, 'MONDAY', '16:00').getAttribute('aria-label')).to.equal('Monday 16:00, free every week');
    });

    it('announces the check result in a polite live region', async () => {
      const el = await mount();
      const live = $(el, '[role=status][aria-live=polite]')!;
      expect(live.textContent!.trim()).to.equal('');
      cell(el, 'MONDAY', '16:00').click();
      cell(el, 'WEDNESDAY', '17:00').click();
      await el.updateComplete;
      await checked(el);
      expect(live.textContent).to.include('8 sessions fit in 5 weeks').and.include('1 week needs a choice');
    });

    it('does not rely on colour: every slot state carries its own symbol', async () => {
      const el = await mount();
      cell(el, 'MONDAY', '16:00').click();
      await el.updateComplete;
      // Drawn by the styles: each state's symbol paints differently (fill, half fill, cross, ring).
      const icon = (d: string, t: string) => {
        const s = getComputedStyle(cell(el, d, t).querySelector('.icon')!);
        return [s.backgroundImage, s.backgroundColor, s.borderTopWidth, s.borderTopLeftRadius].join(' ');
      };
      expect(
        new Set([icon('TUESDAY', '16:00'), icon('MONDAY', '18:00'), icon('MONDAY', '16:00'), icon('THURSDAY', '16:00')])
          .size,
      ).to.equal(4);
    });

    it('shows a visible focus ring on the focused slot', async () => {
      const el = await mount();
      cell(el, 'MONDAY', '16:00').focus();
      await sendKeys({ press: 'ArrowRight' });
      const focused = el.shadowRoot!.activeElement as HTMLElement;
      const style = getComputedStyle(focused);
      expect(style.outlineStyle).to.equal('solid');
      expect(parseFloat(style.outlineWidth)).to.be.at.least(2);
    });
  });

  describe('Arabic and right-to-left', () => {
    it('renders RTL with Arabic weekday names, starting the week on Saturday', async () => {
      const el = await mount({ lang: 'ar' });
      expect($(el, '[part~=base]')!.getAttribute('dir')).to.equal('rtl');
      const headers = $$(el, '[role=columnheader] abbr').map((a) => a.getAttribute('title'));
      expect(headers).to.deep.equal(['السبت', 'الأحد', 'الاثنين', 'الثلاثاء', 'الأربعاء', 'الخميس']);
      expect(text(el, '[part~=pack]')).to.include('متكررة');
      // The first column is on the right.
      const sat = $$(el, '[role=columnheader]')[1]!.getBoundingClientRect();
      const sun = $$(el, '[role=columnheader]')[2]!.getBoundingClientRect();
      expect(sat.left).to.be.greaterThan(sun.left);
    });

    it('defaults to Arabic when the page is Arabic', async () => {
      const wrapper = document.createElement('div');
      wrapper.lang = 'ar';
      document.body.append(wrapper);
      try {
        const el = document.createElement('smart-pack-grid');
        el.setAttribute('teacher-id', 't1');
        el.setAttribute('viewer-time-zone', 'Africa/Khartoum');
        wrapper.append(el);
        await waitUntil(() => $(el, '[role=grid]'));
        expect($(el, '[part~=base]')!.getAttribute('dir')).to.equal('rtl');
      } finally {
        wrapper.remove();
      }
    });

    it('mirrors arrow keys: ArrowLeft moves to the next day in RTL', async () => {
      const el = await mount({ lang: 'ar' });
      cell(el, 'MONDAY', '16:00').focus();
      await sendKeys({ press: 'ArrowLeft' });
      expect(el.shadowRoot!.activeElement).to.equal(cell(el, 'TUESDAY', '16:00'));
      await sendKeys({ press: 'ArrowRight' });
      await sendKeys({ press: 'ArrowRight' });
      expect(el.shadowRoot!.activeElement).to.equal(cell(el, 'SUNDAY', '16:00'));
    });

    it('switches language live when the lang attribute changes', async () => {
      const el = await mount({ lang: 'en-GB' });
      // en-GB weeks start on Monday.
      expect($$(el, '[role=columnheader]')[1]!.textContent!.trim()).to.equal('Mon');
      el.setAttribute('lang', 'ar');
      await el.updateComplete;
      expect($(el, '[part~=base]')!.getAttribute('dir')).to.equal('rtl');
      expect($$(el, '[role=columnheader] abbr')[0]!.getAttribute('title')).to.equal('السبت');
    });
  });

  describe('small screens', () => {
    afterEach(async () => {
      document.querySelector('body > main')?.remove();
      document.documentElement.dir = '';
      await setViewport({ width: 800, height: 600 });
    });

    it('fits a 360 px phone: the day view replaces the grid, and the page does not scroll sideways', async () => {
      await setViewport({ width: 360, height: 740 });
      // Arabic (longer labels, RTL overflow goes left) in a page grid, like the demo pages.
      const page = document.createElement('main');
      page.style.cssText = 'display:grid;padding:8px';
      document.documentElement.dir = 'rtl';
      document.body.append(page);
      const el = await mount({ lang: 'ar', 'viewer-time-zone': 'Europe/London' }, 'none');
      page.append(el);
      await waitUntil(() => $(el, '[role=tablist]'), 'no day view at 360 px');
      expect($(el, '[role=grid]')).to.equal(null);
      $(el, '#day-MONDAY')!.click();
      await el.updateComplete;
      $(el, '[role=option][data-time="16:00"]')!.click();
      await el.updateComplete;
      await checked(el);
      expect(el.getBoundingClientRect().width).to.be.at.most(360);
      expect(document.documentElement.scrollWidth).to.be.at.most(360);
      await expectNoViolations(el, 'phone, Arabic, a time chosen');
    });
  });
});

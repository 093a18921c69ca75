/**
 * The phone layout of <smart-pack-grid> (issue 11): at an element width of 480 px or less the weekly grid
 * gives way to a day view (a tablist of seven day chips, then that day's times as a multi-select listbox),
 * in English and in Arabic (right to left), with the grid's selection, events and axe-clean states.
 */
import { chai, expect, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import 'axe-core';
import type { SmartPackGrid } from '../../widget/index.js';
import { FakeApi, PARENT_TOKEN } from './fake-api.js';
import { $, $$, cell, checked, mount, text } from './helpers.js';

chai.config.truncateThreshold = 0;

async function expectNoViolations(el: SmartPackGrid, state: string) {
  const result = await window.axe.run(el, { resultTypes: ['violations'] });
  const summary = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  expect(summary, `axe violations in state "${state}"`).to.deep.equal([]);
}

let fake: FakeApi;
beforeEach(() => {
  fake = new FakeApi().install();
});
afterEach(() => fake.uninstall());

// Not open-wc's fixture(): for a plain wrapper it waits for an animation frame, which a background test tab
// (wtr runs several files at once) never paints.
const placed: HTMLElement[] = [];
afterEach(() => placed.splice(0).forEach((node) => node.remove()));
function place(markup: string): SmartPackGrid {
  const host = document.createElement('div');
  host.innerHTML = markup;
  document.body.append(host);
  placed.push(host);
  return host.querySelector('smart-pack-grid') as SmartPackGrid;
}

/** Mounts the element in a 360 px wide column (the viewport stays wide: only the element's width counts). */
async function phone(attrs: Record<string, string> = {}, width = '360px'): Promise<SmartPackGrid> {
  const all: Record<string, string> = {
    'api-base': '',
    'teacher-id': 't1',
    'subject-id': 'math',
    'student-id': 'student-demo',
    'parent-token': PARENT_TOKEN,
    lang: 'en-US',
    'viewer-time-zone': 'Africa/Khartoum',
    ...attrs,
  };
  const attrText = Object.entries(all)
    .map(([k, v]) => `${k}="${v}"`)
    .join(' ');
  const el = place(`<div style="width:${width}"><smart-pack-grid ${attrText}></smart-pack-grid></div>`);
  await waitUntil(() => $(el, '[role=tablist]'), 'the day view did not render');
  return el;
}

const chips = (el: SmartPackGrid) => $$(el, '[role=tab]');
const options = (el: SmartPackGrid) => $$(el, '[role=option]');
const currentDay = (el: SmartPackGrid) => $(el, '[role=tab][aria-selected=true]')!.id.replace('day-', '');
const focused = (el: SmartPackGrid) => el.shadowRoot!.activeElement as HTMLElement | null;

async function key(el: SmartPackGrid, press: string) {
  await sendKeys({ press });
  await el.updateComplete;
  await el.updateComplete;
}

describe('<smart-pack-grid> day view (element ≤ 480 px)', () => {
  it('replaces the grid with seven day chips and that day’s times, none scrolling sideways at 360 px', async () => {
    const el = await phone();
    expect($(el, '[role=grid]')).to.equal(null);
    expect(chips(el)).to.have.length(7);
    // en-US weeks start on Sunday; every chip shows weekday, date and its free count.
    expect(chips(el)[0]!.textContent).to.include('Sun').and.include('Jan 11').and.include('2 free');
    const host = el.getBoundingClientRect();
    for (const chip of chips(el)) {
      const r = chip.getBoundingClientRect();
      expect(r.left).to.be.at.least(host.left - 0.5);
      expect(r.right).to.be.at.most(host.right + 0.5);
    }
    expect(el.scrollWidth).to.be.at.most(el.clientWidth + 1);
    // Opens on the first day with a free time, its times as options with their state.
    expect(currentDay(el)).to.equal('SUNDAY');
    expect(options(el).map((o) => o.dataset.time)).to.deep.equal(['16:00', '17:00']);
    expect($(el, '[role=tabpanel]')!.getAttribute('aria-labelledby')).to.equal('day-SUNDAY');
  });

  it('switches at 480 px exactly, and the grid shows what the day view selected', async () => {
    // The live switch (a ResizeObserver) needs painted frames, which a background test tab does not get:
    // test/e2e/phone.e2e.test.ts resizes a real page. Here the width is read when the element is attached.
    const el = await phone({}, '480px');
    options(el)
      .find((o) => o.dataset.time === '17:00')!
      .click();
    await el.updateComplete;
    const wide = place(
      `<div style="width:481px"><smart-pack-grid api-base="" teacher-id="t1" lang="en-US"
        viewer-time-zone="Africa/Khartoum"></smart-pack-grid></div>`,
    );
    wide.patterns = el.patterns;
    await waitUntil(() => $(wide, '[role=grid]'), 'no grid at 481 px');
    expect($(wide, '[role=tablist]')).to.equal(null);
    expect(cell(wide, 'SUNDAY', '17:00').getAttribute('aria-selected')).to.equal('true');
    expect($$(wide, '[role=gridcell][aria-selected=true]')).to.have.length(1);
  });

  it('selects like the grid: same patterns, same change event, same parts', async () => {
    const el = await phone();
    const events: CustomEvent[] = [];
    el.addEventListener('smart-pack-change', (e) => events.push(e as CustomEvent));
    chips(el)
      .find((c) => c.id === 'day-MONDAY')!
      .click();
    await el.updateComplete;
    const opt = options(el).find((o) => o.dataset.time === '16:00')!;
    opt.click();
    await el.updateComplete;
    expect(el.patterns).to.deep.equal([{ weekday: 'MONDAY', time: '16:00' }]);
    await checked(el);
    expect(events).to.have.length(1);
    expect(events[0]!.detail.patterns).to.deep.equal([{ weekday: 'MONDAY', time: '16:00' }]);
    const selected = options(el).find((o) => o.dataset.time === '16:00')!;
    expect(selected.getAttribute('aria-selected')).to.equal('true');
    expect(selected.getAttribute('part')).to.include('slot-selected');
    expect(
      options(el)
        .find((o) => o.dataset.time === '18:00')!
        .getAttribute('part'),
    ).to.include('slot-partial');
    // The chip of a day with a chosen time says so.
    expect(chips(el).find((c) => c.id === 'day-MONDAY')!.textContent).to.include('●');
  });

  it('moves between days with the arrows, Home and End, mirrored right to left in Arabic', async () => {
    const en = await phone();
    $(en, '[role=tab][aria-selected=true]')!.focus();
    await key(en, 'ArrowRight');
    expect(currentDay(en)).to.equal('MONDAY');
    expect(focused(en)?.id).to.equal('day-MONDAY');
    await key(en, 'End');
    expect(currentDay(en)).to.equal('SATURDAY');
    await key(en, 'Home');
    expect(currentDay(en)).to.equal('SUNDAY');
    await key(en, 'ArrowLeft');
    expect(currentDay(en)).to.equal('SATURDAY', 'wraps around');

    const ar = await phone({ lang: 'ar' });
    expect($(ar, '[part~=base]')!.getAttribute('dir')).to.equal('rtl');
    // Arabic weeks start on Saturday; in RTL the next day is to the left.
    expect(chips(ar)[0]!.id).to.equal('day-SATURDAY');
    $(ar, '[role=tab][aria-selected=true]')!.focus();
    const from = currentDay(ar);
    const order = chips(ar).map((c) => c.id.replace('day-', ''));
    await key(ar, 'ArrowLeft');
    expect(currentDay(ar)).to.equal(order[order.indexOf(from) + 1]);
    const left = chips(ar)[0]!.getBoundingClientRect();
    const right = chips(ar)[1]!.getBoundingClientRect();
    expect(left.left).to.be.greaterThan(right.left, 'the first day is on the right');
    await key(ar, 'ArrowRight');
    expect(currentDay(ar)).to.equal(from);
  });

  it('walks the times with ArrowDown/Up, Home/End and toggles with Space and Enter', async () => {
    const el = await phone();
    chips(el)
      .find((c) => c.id === 'day-MONDAY')!
      .click();
    await el.updateComplete;
    const list = options(el);
    expect(list.filter((o) => o.tabIndex === 0)).to.have.length(1, 'one tab stop in the list');
    list[0]!.focus();
    await key(el, 'ArrowDown');
    expect(focused(el)?.dataset.time).to.equal('17:00');
    await key(el, 'End');
    expect(focused(el)?.dataset.time).to.equal('18:00');
    await key(el, 'Home');
    expect(focused(el)?.dataset.time).to.equal('16:00');
    await key(el, ' ');
    expect(el.patterns).to.deep.equal([{ weekday: 'MONDAY', time: '16:00' }]);
    await key(el, 'ArrowDown');
    await key(el, 'Enter');
    expect(el.patterns).to.deep.equal([
      { weekday: 'MONDAY', time: '16:00' },
      { weekday: 'MONDAY', time: '17:00' },
    ]);
    await key(el, 'Enter');
    expect(el.patterns).to.deep.equal([{ weekday: 'MONDAY', time: '16:00' }]);
  });

  it('announces why a taken time cannot be chosen, in English and Arabic', async () => {
    for (const [lang, word] of [
      ['en-US', 'Taken'],
      ['ar', 'محجوز'],
    ] as const) {
      const el = await phone({ lang });
      chips(el)
        .find((c) => c.id === 'day-THURSDAY')!
        .click();
      await el.updateComplete;
      const taken = options(el).find((o) => o.dataset.time === '16:00')!;
      expect(taken.getAttribute('aria-disabled')).to.equal('true');
      taken.click();
      await el.updateComplete;
      const live = $(el, '[role=status][aria-live=polite]')!;
      expect(live.textContent).to.include(word).and.include('16:00');
      expect(el.patterns).to.deep.equal([]);
      // Pressed again (Space): said again, though the words are the same.
      const before = live.textContent;
      taken.focus();
      await key(el, ' ');
      expect(live.textContent).to.include(word);
      expect(live.textContent).not.to.equal(before);
    }
  });

  it('is axe-clean in English and Arabic: days, a selection, a taken time, a scrolled page', async () => {
    for (const lang of ['en-US', 'ar']) {
      const el = await phone({ lang });
      await expectNoViolations(el, `${lang} day view`);
      chips(el)
        .find((c) => c.id === 'day-MONDAY')!
        .click();
      await el.updateComplete;
      options(el)[0]!.click();
      await checked(el);
      await expectNoViolations(el, `${lang} selected`);
      chips(el)
        .find((c) => c.id === 'day-THURSDAY')!
        .click();
      await el.updateComplete;
      options(el)
        .find((o) => o.getAttribute('aria-disabled') === 'true')!
        .click();
      await el.updateComplete;
      await expectNoViolations(el, `${lang} taken announced`);
      chips(el)
        .find((c) => c.id === 'day-FRIDAY')!
        .click();
      await el.updateComplete;
      await expectNoViolations(el, `${lang} a day without times`);
      window.scrollTo(0, document.body.scrollHeight);
      await expectNoViolations(el, `${lang} scrolled`);
      window.scrollTo(0, 0);
    }
  });

  it('shows a one-line pack picker (a select) with the Arabic tier names on Arabic pages', async () => {
    const el = await phone({ lang: 'ar' });
    const select = $(el, '[part~=tier-select]') as HTMLSelectElement;
    expect(select).to.exist;
    expect($(el, '.tiers')).to.equal(null, 'no radio cards on a phone');
    expect([...select.options].map((o) => o.textContent!.trim().split(' · ')[0])).to.deep.equal([
      'الباقة الذكية 10',
      'Smart Pack 5', // no nameAr: the name
    ]);
    select.value = 'tier-5';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => text(el, '#pack-title') === 'Smart Pack 5', 'the tier did not change');
  });
});

describe('the hosted booking page’s first screen at 360 × 780', () => {
  afterEach(() => setViewport({ width: 800, height: 600 }));

  for (const lang of ['en', 'ar']) {
    it(`shows the first free time without scrolling (${lang})`, async () => {
      await setViewport({ width: 360, height: 780 });
      // demo/book.html's layout: its stylesheet, header, and the widget in a card.
      const el = place(`<div lang=${lang} dir=${lang === 'ar' ? 'rtl' : 'ltr'}>
        <link rel="stylesheet" href="/demo/demo.css" />
        <header><h1>Book a Smart Pack</h1><p>Omer Hassan</p></header>
        <main><div class="card"><smart-pack-grid api-base="" teacher-id="t1" subject-id="math"
          viewer-time-zone="Africa/Khartoum"></smart-pack-grid></div></main>
      </div>`);
      await waitUntil(() => $(el, '[role=option]'), 'the day view did not render');
      await new Promise((r) => setTimeout(r, 100)); // the stylesheet
      window.scrollTo(0, 0);
      const first = options(el).find((o) => o.getAttribute('aria-disabled') === 'false')!;
      expect(first.getBoundingClientRect().bottom).to.be.at.most(780);
    });
  }
});

describe('<smart-pack-grid> wide layout is unchanged', () => {
  it('still renders the weekly grid above 480 px', async () => {
    const el = await mount();
    expect($(el, '[role=grid]')).to.exist;
    expect($(el, '[role=tablist]')).to.equal(null);
  });
});

// Pay to confirm in the widget: the review before paying, the hold and its countdown, the confirmation
// learned from the API by polling, lapsed and cancelled holds, the lock after a purchase, reload survival.
import { chai, expect, fixture, oneEvent, waitUntil } from '@open-wc/testing';
import 'axe-core';
import type { SmartPackGrid, SmartPackHoldEvent, SmartPackPurchasedEvent } from '../../widget/index.js';
import { holdPolling } from '../../widget/grid/hold-controller.js';
import { strings } from '../../widget/grid/i18n.js';
import { FakeApi, occurrence, PARENT_TOKEN } from './fake-api.js';
import { $, $$, buy, cell, checked, mount, review, text } from './helpers.js';

chai.config.truncateThreshold = 0;

// The runner may show this page in a background tab, where polling rightly stops: the tests decide.
let hidden = false;
Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
const setHidden = (value: boolean) => {
  hidden = value;
  document.dispatchEvent(new Event('visibilitychange'));
};

let fake: FakeApi;
const polling = { ...holdPolling };
beforeEach(() => {
  sessionStorage.clear();
  fake = new FakeApi().install();
  fake.paymentMode = 'required';
  Object.assign(holdPolling, { firstMs: 40, maxMs: 120, factor: 1.5 });
});
afterEach(() => {
  hidden = false;
  fake.uninstall();
  Object.assign(holdPolling, polling);
  sessionStorage.clear();
});

async function pick(el: SmartPackGrid, ...slots: [string, string][]) {
  for (const [d, t] of slots) cell(el, d, t).click();
  await el.updateComplete;
  await checked(el);
}

/** Picks Monday 16:00 + Wednesday 18:00 (no busy week) and pays: the element shows the hold. */
async function hold(el: SmartPackGrid) {
  await pick(el, ['MONDAY', '16:00'], ['WEDNESDAY', '18:00']);
  const held = oneEvent(el, 'smart-pack-hold') as Promise<SmartPackHoldEvent>;
  await buy(el);
  const ev = await held;
  await waitUntil(() => $(el, '[part~=hold]'), 'no hold panel');
  return ev;
}

async function expectNoViolations(el: SmartPackGrid, state: string) {
  const result = await window.axe.run(el, { resultTypes: ['violations'] });
  const summary = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  expect(summary, `axe violations in state "${state}"`).to.deep.equal([]);
}

const focused = (el: SmartPackGrid) => el.shadowRoot!.activeElement?.id ?? '';

describe('<smart-pack-grid> pay to confirm', () => {
  describe('review before paying', () => {
    it('shows the child, the pack, the price and every dated session, and moves the focus to it', async () => {
      const el = await mount({ 'student-id': 'student-demo-2' });
      await pick(el, ['MONDAY', '16:00'], ['WEDNESDAY', '18:00']);
      await waitUntil(() => $$(el, '[part~=child-chooser] input').length === 2, 'no child chooser');
      await review(el);
      expect(text(el, '[part~=review-child]')).to.equal('For Adam Osman');
      expect(text(el, '[part~=review-price]')).to.match(/^Smart Pack 10 · .*1,275\.00$/);
      const sessions = $$(el, '[part~=review] [part~=sessions] li').map((li) =>
        li.textContent!.replace(/\s+/g, ' ').trim(),
      );
      expect(sessions).to.have.length(8);
      expect(sessions[0]).to.include('Session 1').and.include('Mon, Jan 5').and.include('16:00');
      expect($(el, '[role=grid]'), 'the grid gives way to the review').to.equal(null);
      expect(($(el, '[part~=purchase-button]') as HTMLButtonElement).disabled).to.equal(false);
      expect(text(el, '[part~=purchase-button]')).to.match(/^Reserve and pay · .*1,275\.00/);
      await el.updateComplete;
      expect(focused(el)).to.equal('review-title');
      expect(fake.purchases(), 'nothing is bought by the review').to.have.length(0);
    });

    it('lists each busy week with its choice and keeps Pay off until every one is confirmed', async () => {
      const el = await mount();
      // Monday 18:00 is booked on weeks 1 and 3: two busy weeks; week 1 becomes floating.
      await pick(el, ['MONDAY', '18:00'], ['WEDNESDAY', '16:00']);
      const float = [...$$(el, '[part~=conflict]')[0]!.querySelectorAll('button')].find((b) =>
        /floating/.test(b.textContent!),
      )!;
      float.click();
      await el.updateComplete;
      await checked(el);
      await review(el);
      const weeks = $$(el, '[part~=review-week]').map((w) => w.textContent!.replace(/\s+/g, ' ').trim());
      expect(weeks).to.have.length(2);
      expect(weeks[0])
        .to.include('Mon, Jan 12')
        .and.include('already booked')
        .and.include('Becomes a floating session');
      expect(weeks[1]).to.include('Mon, Jan 26').and.include('Skipped: the pack runs a week longer');
      const pay = $(el, '[part~=purchase-button]') as HTMLButtonElement;
      expect(pay.disabled).to.equal(true);
      expect(text(el, '#review-open')).to.equal('Confirm each busy week to continue.');
      const boxes = $$(el, '[part~=week-confirm] input') as HTMLInputElement[];
      boxes[0]!.click();
      await el.updateComplete;
      expect(pay.disabled).to.equal(true);
      expect($(el, '#review-open'), 'one week still open').to.exist;
      boxes[1]!.click();
      await el.updateComplete;
      expect(pay.disabled).to.equal(false);
      expect($(el, '#review-open')).to.equal(null);
      pay.click();
      await waitUntil(() => fake.purchases().length === 1);
      expect(fake.purchases()[0]!.body.resolutions).to.deep.equal([
        { date: occurrence('MONDAY', 1), time: '18:00', action: 'float' },
      ]);
    });

    it('goes back to the grid with the selection and the choices intact', async () => {
      const el = await mount();
      await pick(el, ['MONDAY', '16:00'], ['WEDNESDAY', '17:00']);
      const alt = [...$(el, '[part~=conflict]')!.querySelectorAll('button')].find((b) =>
        b.textContent!.includes('18:00'),
      )!;
      alt.click();
      await el.updateComplete;
      await checked(el);
      await review(el);
      expect(text(el, '[part~=review-week]')).to.include('moved this week: Wed, Jan 21 18:00');
      $(el, '[part~=back-button]')!.click();
      await el.updateComplete;
      expect($(el, '[part~=review]')).to.equal(null);
      expect(cell(el, 'MONDAY', '16:00').getAttribute('aria-selected')).to.equal('true');
      expect(cell(el, 'WEDNESDAY', '17:00').getAttribute('aria-selected')).to.equal('true');
      expect($(el, '[part~=conflict] [aria-pressed=true]')!.textContent).to.include('18:00');
      expect(focused(el)).to.equal('grid-title');
    });
  });

  describe('the hold', () => {
    it('fires smart-pack-hold with the package and its holdExpiresAt, bubbling out of the shadow root', async () => {
      const el = await mount();
      const ev = await hold(el);
      expect(ev.bubbles && ev.composed).to.equal(true);
      expect(ev.detail.package.id).to.equal('pkg-1');
      expect(ev.detail.package.state).to.equal('pending_payment');
      expect(ev.detail.package.priceMinor).to.equal(127500);
      expect(ev.detail.holdExpiresAt).to.equal('2026-11-30T06:15:00.000Z');
      expect(ev.detail.resumed).to.equal(false);
      expect(text(el, '[part~=hold]')).to.include('Waiting for your payment');
      await el.updateComplete;
      expect(focused(el)).to.equal('hold-title');
    });

    it('counts down to the end of the hold, and tells screen readers only at minute boundaries', async () => {
      fake.holdMs = 61_500;
      const el = await mount();
      await hold(el);
      const live = () => text(el, '[part~=hold] [aria-live=polite]');
      expect(text(el, '[part~=countdown]')).to.match(/^Time left to pay: 1:0[12]$/);
      expect($(el, '[part~=countdown]')!.getAttribute('role')).to.equal('timer');
      expect(live()).to.equal('1 minute left to pay.');
      await waitUntil(() => /0:59/.test(text(el, '[part~=countdown]')), 'the countdown did not tick', {
        timeout: 4000,
      });
      expect(live()).to.equal('Less than a minute left to pay.');
      const said = live();
      await waitUntil(() => /0:58/.test(text(el, '[part~=countdown]')), 'no second tick', { timeout: 3000 });
      expect(live(), 'not every second').to.equal(said);
    });

    it('polls the package with its manage token until the API says active, then confirms with both links', async () => {
      const el = await mount();
      await hold(el);
      const purchased: SmartPackPurchasedEvent[] = [];
      el.addEventListener('smart-pack-purchased', (e) => purchased.push(e));
      await waitUntil(() => fake.packageReads().length >= 2, 'no polling');
      expect($(el, '[part~=confirmation]'), 'still pending: no confirmation').to.equal(null);
      expect(fake.packageReads()[0]!.headers.get('authorization')).to.equal('Bearer manage-pkg-1');
      fake.confirm('pkg-1');
      await waitUntil(() => $(el, '[part~=confirmation]'), 'the confirmation did not show');
      expect(purchased).to.have.length(1);
      expect(purchased[0]!.detail.package.state).to.equal('active');
      expect($(el, '[part~=manage-link]')!.getAttribute('href')).to.equal('/pack/pkg-1?t=manage-pkg-1&lang=en-US');
      expect(text(el, '[part~=manage-link]')).to.equal('Manage my pack');
      expect($(el, '[part~=calendar-link]')!.getAttribute('href')).to.equal(
        '/packages/pkg-1/calendar.ics?token=feed-pkg-1',
      );
      expect(text(el, '[part~=calendar-link]')).to.equal('Add to calendar');
      await el.updateComplete;
      expect(focused(el)).to.equal('done-title');
      // Polling stops once the package is active.
      const reads = fake.packageReads().length;
      await new Promise((r) => setTimeout(r, 300));
      expect(fake.packageReads().length).to.equal(reads);
    });

    it('stops polling while the page is hidden and asks at once when it is shown again', async () => {
      const el = await mount();
      await hold(el);
      await waitUntil(() => fake.packageReads().length >= 1, 'no polling');
      setHidden(true);
      const reads = fake.packageReads().length;
      await new Promise((r) => setTimeout(r, 400));
      expect(fake.packageReads().length, 'no poll while hidden').to.equal(reads);
      fake.confirm('pkg-1');
      setHidden(false);
      await waitUntil(() => $(el, '[part~=confirmation]'), 'no poll once visible again');
    });

    it('resolves the links against the api-base of an embed on another site', async () => {
      fake.paymentMode = 'none';
      const base = `${location.origin}/api-here`;
      const api = new FakeApi();
      api.uninstall();
      // The same fake, answering under a prefix.
      const original = window.fetch;
      window.fetch = (input, init) => original(String(input).replace('/api-here', ''), init);
      try {
        const el = await mount({ 'api-base': base });
        await pick(el, ['MONDAY', '16:00']);
        await buy(el);
        await waitUntil(() => $(el, '[part~=confirmation]'));
        expect($(el, '[part~=manage-link]')!.getAttribute('href')).to.equal(
          `${base}/pack/pkg-1?t=manage-pkg-1&lang=en-US`,
        );
        expect($(el, '[part~=calendar-link]')!.getAttribute('href')).to.equal(
          `${base}/packages/pkg-1/calendar.ics?token=feed-pkg-1`,
        );
      } finally {
        window.fetch = original;
      }
    });

    it('says so when the hold lapsed, and lets the parent choose again (a new purchase, a new key)', async () => {
      const el = await mount();
      await hold(el);
      fake.now += fake.holdMs;
      await waitUntil(() => $(el, '[part~=hold-ended]'), 'the lapsed hold was not shown');
      expect(text(el, '[part~=hold-ended]')).to.include('The time to pay ran out');
      expect($(el, '[part~=confirmation]')).to.equal(null);
      await el.updateComplete;
      expect(focused(el)).to.equal('ended-title');
      expect(sessionStorage.length, 'the hold is forgotten').to.equal(0);
      $(el, '[part~=choose-again]')!.click();
      await el.updateComplete;
      await checked(el);
      expect(cell(el, 'MONDAY', '16:00').getAttribute('aria-selected')).to.equal('true');
      await buy(el);
      await waitUntil(() => $(el, '[part~=hold]'));
      const [first, second] = fake.purchases();
      expect(second!.headers.get('Idempotency-Key')).not.to.equal(first!.headers.get('Idempotency-Key'));
    });

    it('cancels the reservation with the manage token, and frees the slots', async () => {
      const el = await mount();
      await hold(el);
      $(el, '[part~=cancel-hold]')!.click();
      await waitUntil(() => $(el, '[part~=hold-ended]'), 'the cancellation was not shown');
      expect(text(el, '[part~=hold-ended]')).to.include('Reservation cancelled');
      const cancel = fake.requests.find((r) => r.method === 'POST' && r.path === '/packages/pkg-1/cancel')!;
      expect(cancel.headers.get('authorization')).to.equal('Bearer manage-pkg-1');
      expect(fake.booked.has(`${occurrence('MONDAY', 0)} 16:00`)).to.equal(false);
      expect(sessionStorage.length).to.equal(0);
    });

    it('follows the API when a cancel is refused because the payment landed first', async () => {
      const el = await mount();
      await hold(el);
      fake.confirm('pkg-1');
      Object.assign(holdPolling, { firstMs: 60_000, maxMs: 60_000 });
      $(el, '[part~=cancel-hold]')!.click();
      await waitUntil(() => $(el, '[part~=confirmation]'), 'the refused cancel did not ask the API');
    });
  });

  describe('locked after purchase', () => {
    it('makes the tier cards inert once a pack is held or bought; "Book another pack" starts afresh', async () => {
      const el = await mount();
      await hold(el);
      const radios = () => $$(el, 'input[name=tier]') as HTMLInputElement[];
      expect(
        radios().every((r) => r.disabled),
        'inert while held',
      ).to.equal(true);
      fake.confirm('pkg-1');
      await waitUntil(() => $(el, '[part~=confirmation]'));
      expect(
        radios().every((r) => r.disabled),
        'inert once bought',
      ).to.equal(true);
      // Even a click from code on a tier card changes nothing: no buy button comes back.
      radios()[1]!.disabled = false;
      radios()[1]!.click();
      await el.updateComplete;
      expect($(el, '[part~=confirmation]')).to.exist;
      expect($(el, '[part~=purchase-button]')).to.equal(null);
      expect($(el, '[part~=continue-button]')).to.equal(null);
      $(el, '[part~=book-another]')!.click();
      await el.updateComplete;
      expect($(el, '[role=grid]')).to.exist;
      expect(el.patterns).to.deep.equal([]);
      expect(radios().every((r) => !r.disabled)).to.equal(true);
      expect(fake.purchases()).to.have.length(1);
    });

    it('confirms at once, with no hold, when the school needs no payment', async () => {
      fake.paymentMode = 'none';
      const el = await mount();
      const holds: Event[] = [];
      el.addEventListener('smart-pack-hold', (e) => holds.push(e));
      await pick(el, ['MONDAY', '16:00']);
      const purchased = oneEvent(el, 'smart-pack-purchased') as Promise<SmartPackPurchasedEvent>;
      await buy(el);
      expect((await purchased).detail.package.state).to.equal('active');
      await waitUntil(() => $(el, '[part~=confirmation]'));
      expect(holds).to.have.length(0);
      expect($(el, '[part~=manage-link]')).to.exist;
      expect(sessionStorage.length).to.equal(0);
    });
  });

  describe('reload survival', () => {
    it('picks the hold and its countdown up again in a new element, and confirms it later', async () => {
      fake.holdMs = 10 * 60_000;
      const first = await mount();
      await hold(first);
      const before = text(first, '[part~=countdown]');
      // Let a second and more pass on the hold before the reload.
      await new Promise((r) => setTimeout(r, 1200));
      first.remove();
      // A reload: a new element for the same teacher on the same API, in the same tab.
      const reads = fake.packageReads().length;
      const resumed = new Promise<SmartPackHoldEvent>((resolve) =>
        document.addEventListener('smart-pack-hold', (e) => resolve(e), { once: true }),
      );
      const el = await fixture<SmartPackGrid>(
        `<smart-pack-grid api-base="" teacher-id="t1" subject-id="math" parent-token="${PARENT_TOKEN}" lang="en-US" viewer-time-zone="Africa/Khartoum"></smart-pack-grid>`,
      );
      const ev = await resumed;
      expect(ev.detail.resumed).to.equal(true);
      expect(ev.detail.package.id).to.equal('pkg-1');
      await waitUntil(() => $(el, '[part~=hold]') && $(el, '[part~=countdown]'), 'the hold did not come back');
      const read = fake.packageReads()[reads]!;
      expect(read.path).to.equal('/packages/pkg-1');
      expect(read.headers.get('authorization')).to.equal('Bearer manage-pkg-1');
      // The same deadline: the countdown goes on from where it was (9:5x), it does not restart at 10:00.
      expect(before).to.match(/ 10:00$/);
      expect(text(el, '[part~=countdown]')).to.match(/ 9:5\d$/);
      expect(fake.purchases(), 'nothing bought again').to.have.length(1);
      fake.confirm('pkg-1');
      await waitUntil(() => $(el, '[part~=confirmation]'));
      expect($(el, '[part~=manage-link]')!.getAttribute('href')).to.equal('/pack/pkg-1?t=manage-pkg-1&lang=en-US');
      expect(sessionStorage.length).to.equal(0);
    });

    it('shows the confirmation at once when the payment landed while the page was away', async () => {
      const first = await mount();
      await hold(first);
      first.remove();
      fake.confirm('pkg-1');
      const el = await mount({}, 'none');
      await waitUntil(() => $(el, '[part~=confirmation]'), 'the confirmation did not show');
      expect(sessionStorage.length).to.equal(0);
    });

    it('forgets a kept hold the API does not know', async () => {
      sessionStorage.setItem(
        'spg-hold:||t1',
        JSON.stringify({ id: 'pkg-404', token: 'x', manageUrl: '', deadline: Date.now() + 60_000 }),
      );
      const el = await mount();
      await waitUntil(() => sessionStorage.length === 0, 'the unknown hold was kept');
      expect($(el, '[part~=hold]')).to.equal(null);
    });
  });

  describe('Arabic', () => {
    it('chooses the minute forms through Intl.PluralRules', () => {
      const t = strings('ar');
      const n = (x: number) => new Intl.NumberFormat('ar').format(x);
      expect(new Intl.PluralRules('ar').select(11)).to.equal('many');
      expect(t.minutesLeft(0)).to.equal('بقيت أقل من دقيقة للدفع.');
      expect(t.minutesLeft(1)).to.equal('بقيت دقيقة واحدة للدفع.');
      expect(t.minutesLeft(2)).to.equal('بقيت دقيقتان للدفع.');
      expect(t.minutesLeft(3)).to.equal(`بقيت ${n(3)} دقائق للدفع.`);
      expect(t.minutesLeft(11)).to.equal(`بقيت ${n(11)} دقيقة للدفع.`);
      expect(t.minutesLeft(100)).to.equal(`بقيت ${n(100)} دقيقة للدفع.`);
      expect(strings('en').minutesLeft(1)).to.equal('1 minute left to pay.');
      expect(strings('en').minutesLeft(2)).to.equal('2 minutes left to pay.');
    });

    it('shows the review and the hold in Arabic, right to left', async () => {
      fake.holdMs = 15 * 60_000 + 30_000;
      const el = await mount({ lang: 'ar' });
      await pick(el, ['MONDAY', '16:00'], ['WEDNESDAY', '18:00']);
      await review(el);
      expect(text(el, '#review-title')).to.equal('راجع باقتك');
      expect(text(el, '[part~=purchase-button]')).to.match(/^احجز وادفع · /);
      expect($(el, '[part~=back-button]')!.textContent!.trim()).to.equal('رجوع');
      await buy(el);
      await waitUntil(() => $(el, '[part~=hold]'));
      expect($(el, '[part~=base]')!.getAttribute('dir')).to.equal('rtl');
      expect(text(el, '#hold-title')).to.include('بانتظار الدفع');
      expect(text(el, '[part~=hold] [aria-live=polite]')).to.equal(strings('ar').minutesLeft(15));
      expect(text(el, '[part~=cancel-hold]')).to.equal('ألغِ الحجز');
    });
  });

  describe('accessibility (axe-core)', () => {
    it('has no violation in the review with busy weeks, in English and Arabic', async () => {
      for (const lang of ['en-US', 'ar']) {
        const el = await mount({ lang });
        await pick(el, ['MONDAY', '18:00'], ['WEDNESDAY', '16:00']);
        await review(el);
        expect($$(el, '[part~=week-confirm]')).to.have.length(2);
        await expectNoViolations(el, `review (${lang})`);
        el.remove();
      }
    });

    it('has no violation in the hold panel, the lapsed message and the confirmation', async () => {
      const el = await mount();
      await hold(el);
      await expectNoViolations(el, 'hold');
      fake.now += fake.holdMs;
      await waitUntil(() => $(el, '[part~=hold-ended]'));
      await expectNoViolations(el, 'hold ended');
      const other = await mount();
      await hold(other);
      fake.byId.get('pkg-2')!.confirmed = true;
      await waitUntil(() => $(other, '[part~=confirmation]'));
      await expectNoViolations(other, 'confirmed');
    });
  });
});

import { expect, aTimeout, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { SmartPackChangeEvent, SmartPackGrid, SmartPackPurchasedEvent } from '../../widget/index.js';
import { createFetchClient } from '../../widget/index.js';
import { FakeApi, occurrence, PARENT_TOKEN } from './fake-api.js';
import { $, $$, buy, cell, checked, gridCells, mount, text } from './helpers.js';

let fake: FakeApi;
beforeEach(() => {
  fake = new FakeApi().install();
});
afterEach(() => fake.uninstall());

async function pick(el: SmartPackGrid, ...slots: [string, string][]) {
  for (const [d, t] of slots) cell(el, d, t).click();
  await el.updateComplete;
  await checked(el);
}

describe('<smart-pack-grid>', () => {
  describe('first screen', () => {
    const gridRequests = () => fake.requests.filter((r) => r.path.endsWith('/weekly-availability'));
    const tierRequests = () => fake.requests.filter((r) => r.path.endsWith('/tiers'));

    it('loads the grid and the tiers in one request, with the zones named by the answer', async () => {
      fake.firstScreen = true;
      // The names an answer gave are kept for its language and instant, for the page's life: "en" here, so the
      // other tests (en-US) still see the browser's own.
      const el = await mount({ lang: 'en', 'viewer-time-zone': 'Asia/Tokyo' });
      expect(tierRequests()).to.have.length(0);
      expect(gridRequests()).to.have.length(1);
      const q = gridRequests()[0]!.query;
      expect([q.get('include'), q.get('lang'), q.get('viewerTimeZone')]).to.deep.equal(['tiers', 'en', 'Asia/Tokyo']);
      expect(text(el, '[part~=pack]')).to.include('10 sessions = 8 recurring + 2 floating');
      const zones = text(el, '[part~=timezone]');
      expect(zones).to.include('Africa/Khartoum in en').and.include('Asia/Tokyo in en');
    });

    it('asks for the tiers after, and names zones itself, when the grid answer carries neither', async () => {
      const el = await mount({ 'viewer-time-zone': 'Asia/Tokyo' });
      expect(gridRequests()).to.have.length(1);
      expect(tierRequests()).to.have.length(1);
      expect(text(el, '[part~=timezone]')).to.include('Central Africa Time').and.include('Japan Standard Time');
    });

    it('still shows the grid when the API refuses the browser’s language or zone', async () => {
      fake.firstScreen = true;
      fake.refuseHints = true;
      const el = await mount();
      expect(gridCells(el).length).to.be.greaterThan(0);
      const [hinted, plain] = gridRequests();
      expect(hinted!.query.has('lang')).to.equal(true);
      expect(plain!.query.has('lang') || plain!.query.has('viewerTimeZone')).to.equal(false);
      expect(text(el, '[part~=timezone]')).to.include('Central Africa Time');
    });
  });

  describe('before anything is chosen', () => {
    it('shows the pack with recurring and floating split, price and savings in the currency', async () => {
      const el = await mount();
      const pack = text(el, '[part~=pack]');
      expect(pack).to.include('10 sessions = 8 recurring + 2 floating');
      // 127500 minor units of SDG (2 fraction digits) = 1,275.00
      expect(pack).to.match(/1,275\.00/);
      expect(pack).to.match(/You save .*225\.00.*15%/);
    });

    it('renders the teacher’s real slots as weekday columns × time rows, empty where not offered', async () => {
      const el = await mount();
      const headers = $$(el, '[role=columnheader]').map((h) => h.textContent!.trim());
      // en-US weeks start on Sunday; Friday has no slots and is left out.
      expect(headers).to.deep.equal(['Time', 'Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Sat']);
      const rows = $$(el, '[role=rowheader]').map((h) => h.textContent!.trim());
      expect(rows).to.deep.equal(['10:00', '16:00', '17:00', '18:00']);
      const tue17 = $$(el, '[role=row]')[3]!.querySelectorAll('[role=gridcell]')[2]!;
      expect(tue17.getAttribute('part')).to.equal('cell-empty');
      expect(tue17.hasAttribute('tabindex')).to.equal(false);
    });

    it('marks slots free only some weeks differently and says how many', async () => {
      const el = await mount();
      const partial = cell(el, 'MONDAY', '18:00');
      expect(partial.getAttribute('part')).to.equal('slot slot-partial');
      expect(partial.getAttribute('aria-label')).to.equal('Monday 18:00, free 6 of 8 weeks, 6/8');
      expect(partial.textContent!.trim()).to.equal('6/8');
      expect(cell(el, 'MONDAY', '16:00').getAttribute('part')).to.equal('slot slot-free');
      const taken = cell(el, 'THURSDAY', '16:00');
      expect(taken.getAttribute('aria-disabled')).to.equal('true');
      expect(taken.getAttribute('part')).to.equal('slot slot-unavailable');
    });

    it('lets the parent choose a tier and re-checks with it', async () => {
      const el = await mount();
      await pick(el, ['MONDAY', '16:00'], ['WEDNESDAY', '16:00']);
      expect(text(el, '[part~=summary]')).to.include('8 sessions ÷ 2/week = 4 weeks');
      const radios = $$(el, 'input[name=tier]') as HTMLInputElement[];
      expect(radios).to.have.length(2);
      const before = fake.checks().length;
      radios[1]!.click();
      await el.updateComplete;
      await checked(el);
      expect(fake.checks().length).to.equal(before + 1);
      expect(fake.checks().at(-1)!.body.tierId).to.equal('tier-5');
      expect(text(el, '[part~=summary]')).to.include('4 sessions ÷ 2/week = 2 weeks');
      expect($$(el, '[part~=sessions] li')).to.have.length(4);
    });

    it('hides the tier chooser when tier-id fixes the pack', async () => {
      const el = await mount({ 'tier-id': 'tier-5' });
      expect($$(el, 'input[name=tier]')).to.have.length(0);
      expect(text(el, '[part~=pack]')).to.include('5 sessions = 4 recurring + 1 floating');
    });
  });

  describe('selection', () => {
    it('shows the pattern, the division, numbered dated sessions and the floating deadline', async () => {
      const el = await mount();
      await pick(el, ['MONDAY', '16:00'], ['WEDNESDAY', '18:00']);
      expect(text(el, '[part~=summary]')).to.include(
        'Monday 16:00 + Wednesday 18:00 (2×/week) · 8 sessions ÷ 2/week = 4 weeks',
      );
      const sessions = $$(el, '[part~=sessions] li').map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
      expect(sessions).to.have.length(8);
      expect(sessions[0]).to.include('Session 1').and.include('Mon, Jan 5').and.include('16:00');
      expect(sessions[1]).to.include('Session 2').and.include('Wed, Jan 7').and.include('18:00');
      // Last session Wed 28 Jan + 14 days grace.
      expect(text(el, '[part~=floating]')).to.include('2 floating sessions').and.include('Feb 11, 2026');
      expect(cell(el, 'MONDAY', '16:00').getAttribute('aria-selected')).to.equal('true');
      expect(cell(el, 'MONDAY', '16:00').getAttribute('part')).to.equal('slot slot-free slot-selected');
    });

    it('sends one debounced check for quick successive clicks', async () => {
      const el = await mount();
      cell(el, 'MONDAY', '16:00').click();
      await aTimeout(40);
      cell(el, 'TUESDAY', '16:00').click();
      await aTimeout(40);
      cell(el, 'WEDNESDAY', '16:00').click();
      await el.updateComplete;
      await checked(el);
      expect(fake.checks()).to.have.length(1);
      expect(fake.checks()[0]!.body.patterns).to.have.length(3);
    });

    it('refuses a 5th slot with a clear message and keeps the 4 chosen', async () => {
      const el = await mount();
      await pick(el, ['SUNDAY', '16:00'], ['MONDAY', '16:00'], ['TUESDAY', '16:00'], ['WEDNESDAY', '16:00']);
      cell(el, 'THURSDAY', '17:00').click();
      await el.updateComplete;
      const notice = $(el, '[part~=notice][role=alert]');
      expect(notice?.textContent).to.include('up to 4 weekly times');
      expect(el.patterns).to.have.length(4);
      expect(cell(el, 'THURSDAY', '17:00').getAttribute('aria-selected')).to.equal('false');
      expect($$(el, '[aria-selected=true]')).to.have.length(4);
      // Unselecting one clears the refusal and frees a place.
      cell(el, 'SUNDAY', '16:00').click();
      await el.updateComplete;
      expect($(el, '[part~=notice]')).to.equal(null);
      cell(el, 'THURSDAY', '17:00').click();
      await el.updateComplete;
      expect(cell(el, 'THURSDAY', '17:00').getAttribute('aria-selected')).to.equal('true');
    });

    it('never lets an earlier slow check answer overwrite a newer one', async () => {
      const el = await mount();
      fake.checkDelays = [600, 0];
      cell(el, 'MONDAY', '16:00').click();
      await waitUntil(() => fake.checks().length === 1, 'first check not sent');
      cell(el, 'WEDNESDAY', '18:00').click();
      await waitUntil(() => fake.checks().length === 2, 'second check not sent');
      await waitUntil(
        () => $$(el, '[part~=sessions] li').length === 8 && text(el, '[part~=sessions]').includes('Wed, Jan 7'),
      );
      // Let the slow answer for [Monday] arrive after the answer for [Monday, Wednesday].
      await aTimeout(700);
      await el.updateComplete;
      expect(text(el, '[part~=sessions]')).to.include('Wed, Jan 7');
      // The stale answer (Mondays only) would list 8 Mondays up to Feb 23.
      expect(text(el, '[part~=sessions]')).not.to.include('Feb 23');
      expect(fake.checks()[0]!.signal?.aborted).to.equal(true);
    });
  });

  describe('check errors', () => {
    it('shows the server’s reason when a check is refused (422) and retries on demand', async () => {
      const el = await mount();
      el.patterns = [
        { weekday: 'MONDAY', time: '16:00' },
        { weekday: 'MONDAY', time: '16:00' },
      ];
      await waitUntil(() => text(el, '.summary').includes('Duplicate weekly times'), 'the 422 message was not shown');
      expect(($(el, '[part~=continue-button]') as HTMLButtonElement).disabled).to.equal(true);
      el.patterns = [{ weekday: 'MONDAY', time: '16:00' }];
      await el.updateComplete;
      await checked(el);
      expect(text(el, '.summary')).not.to.include('Duplicate');
    });

    it('offers a retry when the check fails on the network', async () => {
      const el = await mount();
      fake.failing = /check-multi-slot/;
      cell(el, 'MONDAY', '16:00').click();
      await waitUntil(() => text(el, '.summary').includes('could not check'));
      fake.failing = null;
      ($(el, '.summary [part~=retry-button]') as HTMLButtonElement).click();
      await waitUntil(() => $$(el, '[part~=sessions] li').length === 8, 'retry did not re-check');
    });
  });

  describe('conflicts', () => {
    it('lists conflicting weeks with their reason and resolves one with an alternative', async () => {
      const el = await mount();
      await pick(el, ['MONDAY', '16:00'], ['WEDNESDAY', '17:00']);
      const conflict = $(el, '[part~=conflict]')!;
      const wk2 = occurrence('WEDNESDAY', 2); // 2026-01-21
      expect(conflict.textContent).to.include('Wed, Jan 21').and.include('already booked');
      // Default resolution is to extend by a week.
      expect(text(el, '[part~=summary]')).to.include('+1 week for skipped dates');
      const alt = [...conflict.querySelectorAll('button')].find((b) => b.textContent!.includes('18:00'))!;
      alt.click();
      await el.updateComplete;
      await checked(el);
      expect(fake.checks().at(-1)!.body.resolutions).to.deep.equal([
        { date: wk2, time: '17:00', action: 'alternative', alternative: { date: wk2, time: '18:00' } },
      ]);
      expect(text(el, '[part~=sessions]')).to.include('moved this week');
      const pressed = $(el, '[part~=conflict] [aria-pressed=true]')!;
      expect(pressed.textContent).to.include('18:00');
    });

    it('turns a conflicting week into a floating session', async () => {
      const el = await mount();
      await pick(el, ['MONDAY', '16:00'], ['WEDNESDAY', '17:00']);
      const float = [...$(el, '[part~=conflict]')!.querySelectorAll('button')].find((b) =>
        /floating/.test(b.textContent!),
      )!;
      float.click();
      await el.updateComplete;
      await checked(el);
      expect(fake.checks().at(-1)!.body.resolutions[0].action).to.equal('float');
      expect(text(el, '[part~=floating]')).to.include('3 floating sessions');
      expect($$(el, '[part~=sessions] li')).to.have.length(7);
    });

    it('replaces a whole weekly slot from the alternatives', async () => {
      const el = await mount();
      await pick(el, ['MONDAY', '16:00'], ['WEDNESDAY', '17:00']);
      const replace = [...$(el, '.pattern-conflicts > .choices')!.querySelectorAll('button')][0]!;
      expect(replace.textContent).to.include('Wednesday 16:00');
      replace.click();
      await el.updateComplete;
      await checked(el);
      expect(el.patterns).to.deep.equal([
        { weekday: 'MONDAY', time: '16:00' },
        { weekday: 'WEDNESDAY', time: '16:00' },
      ]);
      expect($(el, '[part~=conflicts]')).to.equal(null);
      expect(cell(el, 'WEDNESDAY', '17:00').getAttribute('aria-selected')).to.equal('false');
    });
  });

  describe('keyboard', () => {
    it('has exactly one tab stop in the grid', async () => {
      const el = await mount();
      expect(gridCells(el).filter((c) => c.tabIndex === 0)).to.have.length(1);
    });

    it('moves to the next free slot with ArrowRight, skipping cells that are not offered', async () => {
      const el = await mount();
      cell(el, 'MONDAY', '17:00').focus();
      await sendKeys({ press: 'ArrowRight' });
      await el.updateComplete;
      // Tuesday 17:00 is not offered.
      expect(el.shadowRoot!.activeElement).to.equal(cell(el, 'WEDNESDAY', '17:00'));
      expect(cell(el, 'WEDNESDAY', '17:00').tabIndex).to.equal(0);
      expect(gridCells(el).filter((c) => c.tabIndex === 0)).to.have.length(1);
    });

    it('moves along columns with ArrowDown/ArrowUp and to row ends with Home/End', async () => {
      const el = await mount();
      cell(el, 'MONDAY', '16:00').focus();
      await sendKeys({ press: 'ArrowDown' });
      expect(el.shadowRoot!.activeElement).to.equal(cell(el, 'MONDAY', '17:00'));
      await sendKeys({ press: 'ArrowUp' });
      await sendKeys({ press: 'ArrowUp' });
      // No Monday 10:00: stays on 16:00.
      expect(el.shadowRoot!.activeElement).to.equal(cell(el, 'MONDAY', '16:00'));
      await sendKeys({ press: 'End' });
      expect(el.shadowRoot!.activeElement).to.equal(cell(el, 'THURSDAY', '16:00'));
      await sendKeys({ press: 'Home' });
      expect(el.shadowRoot!.activeElement).to.equal(cell(el, 'SUNDAY', '16:00'));
      await sendKeys({ down: 'Control' });
      await sendKeys({ press: 'End' });
      await sendKeys({ up: 'Control' });
      expect(el.shadowRoot!.activeElement).to.equal(cell(el, 'WEDNESDAY', '18:00'));
    });

    it('toggles with Space and Enter', async () => {
      const el = await mount();
      cell(el, 'MONDAY', '16:00').focus();
      await sendKeys({ press: 'Space' });
      await el.updateComplete;
      expect(cell(el, 'MONDAY', '16:00').getAttribute('aria-selected')).to.equal('true');
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(cell(el, 'MONDAY', '16:00').getAttribute('aria-selected')).to.equal('false');
    });

    it('does not select a slot that is taken every week', async () => {
      const el = await mount();
      cell(el, 'THURSDAY', '16:00').focus();
      await sendKeys({ press: 'Space' });
      await el.updateComplete;
      expect(el.patterns).to.have.length(0);
    });
  });

  describe('states', () => {
    it('shows a skeleton while loading', async () => {
      fake.hanging = /weekly-availability/;
      const el = await mount({}, 'none');
      await el.updateComplete;
      expect($(el, '[part~=skeleton]')).to.exist;
      expect($(el, '[part~=base]')!.getAttribute('aria-busy')).to.equal('true');
    });

    it('shows an error with a retry that recovers', async () => {
      fake.failing = /weekly-availability/;
      const el = await mount({}, 'none');
      await waitUntil(() => $(el, '[part~=error]'));
      expect($(el, '[part~=error]')!.getAttribute('role')).to.equal('alert');
      fake.failing = null;
      $(el, '[part~=retry-button]')!.click();
      await waitUntil(() => $(el, '[role=grid]'), 'retry did not load the grid');
    });

    it('says so when the teacher has no free weekly slots', async () => {
      fake.empty = true;
      const el = await mount({}, 'none');
      await waitUntil(() => $(el, '[part~=empty]'));
      expect(text(el, '[part~=empty]')).to.include('no free weekly slots');
      expect($(el, '[role=grid]')).to.equal(null);
    });
  });

  describe('purchase', () => {
    it('buys with an idempotency key and shows the confirmation', async () => {
      const el = await mount();
      await pick(el, ['MONDAY', '16:00'], ['WEDNESDAY', '18:00']);
      const purchased = oneEvent(el, 'smart-pack-purchased') as Promise<SmartPackPurchasedEvent>;
      await buy(el);
      const ev = await purchased;
      expect(ev.detail.package.id).to.equal('pkg-1');
      expect(ev.bubbles && ev.composed).to.equal(true);
      const req = fake.purchases()[0]!;
      expect(req.headers.get('Idempotency-Key')).to.match(/^[0-9a-f-]{36}$/);
      expect(req.body.idempotencyKey).to.equal(req.headers.get('Idempotency-Key'));
      expect(req.body.studentId).to.equal('student-demo');
      await el.updateComplete;
      expect(text(el, '[part~=confirmation]')).to.include('Booked!').and.include('pkg-1');
    });

    it('reuses the same idempotency key when retrying after a network error, buying once', async () => {
      const el = await mount();
      await pick(el, ['MONDAY', '16:00'], ['WEDNESDAY', '18:00']);
      fake.purchaseFaults = ['network-after-commit'];
      await buy(el);
      await waitUntil(() => $(el, '[part~=purchase-error]'));
      expect(text(el, '[part~=purchase-error]')).to.include('never be charged twice');
      const retry = $(el, '[part~=review] [part~=purchase-button]')!;
      expect(retry.textContent!.trim()).to.equal('Try again');
      retry.click();
      await waitUntil(() => $(el, '[part~=confirmation]'));
      const [first, second] = fake.purchases();
      expect(second!.headers.get('Idempotency-Key')).to.equal(first!.headers.get('Idempotency-Key'));
      expect(fake.packages.size).to.equal(1);
    });

    it('uses a new key when the selection changed after a failure', async () => {
      const el = await mount();
      await pick(el, ['MONDAY', '16:00']);
      fake.purchaseFaults = ['network-before'];
      await buy(el);
      await waitUntil(() => $(el, '[part~=purchase-error]'));
      $(el, '[part~=back-button]')!.click();
      await el.updateComplete;
      await pick(el, ['WEDNESDAY', '18:00']);
      await buy(el);
      await waitUntil(() => $(el, '[part~=confirmation]'));
      const [first, second] = fake.purchases();
      expect(second!.headers.get('Idempotency-Key')).not.to.equal(first!.headers.get('Idempotency-Key'));
    });

    it('re-checks after 409 slot_taken and shows what changed', async () => {
      const el = await mount();
      await pick(el, ['MONDAY', '16:00'], ['WEDNESDAY', '18:00']);
      expect($(el, '[part~=conflicts]')).to.equal(null);
      const checksBefore = fake.checks().length;
      fake.purchaseFaults = ['slot_taken'];
      await buy(el);
      await waitUntil(() => $(el, '[part~=conflicts]'), 'the taken week was not shown as a conflict');
      expect(fake.checks().length).to.equal(checksBefore + 1);
      expect(text(el, '.summary')).to.include('Someone just booked').and.include('Jan 5');
      expect(text(el, '[part~=conflict]')).to.include('Mon, Jan 5');
      expect($(el, '[part~=confirmation]')).to.equal(null);
    });

    it('uses a fresh idempotency key after the server refused with 409', async () => {
      const el = await mount();
      await pick(el, ['MONDAY', '16:00'], ['WEDNESDAY', '18:00']);
      fake.purchaseFaults = ['slot_taken'];
      await buy(el);
      await waitUntil(() => $(el, '[part~=conflicts]'));
      await checked(el);
      await buy(el);
      await waitUntil(() => $(el, '[part~=confirmation]'));
      const [first, second] = fake.purchases();
      expect(second!.headers.get('Idempotency-Key')).not.to.equal(first!.headers.get('Idempotency-Key'));
    });

    it('keeps Continue off until there is a checked, available selection', async () => {
      const el = await mount();
      expect($(el, '[part~=continue-button]')).to.equal(null);
      cell(el, 'MONDAY', '16:00').click();
      await el.updateComplete;
      await el.updateComplete;
      expect(($(el, '[part~=continue-button]') as HTMLButtonElement).disabled).to.equal(true);
      await checked(el);
      expect(($(el, '[part~=continue-button]') as HTMLButtonElement).disabled).to.equal(false);
    });
  });

  describe('parent token', () => {
    const childRadios = (el: SmartPackGrid) => $$(el, '[part~=child-chooser] input[type=radio]') as HTMLInputElement[];

    it('sends the parent token as the bearer on purchase, for the child preselected by student-id', async () => {
      const el = await mount({ 'student-id': 'student-demo-2' });
      await pick(el, ['MONDAY', '16:00']);
      await waitUntil(() => childRadios(el).length === 2, 'no child chooser');
      expect(childRadios(el).map((r) => r.checked)).to.deep.equal([false, true]);
      await buy(el);
      await waitUntil(() => $(el, '[part~=confirmation]'));
      const req = fake.purchases()[0]!;
      expect(req.headers.get('authorization')).to.equal(`Bearer ${PARENT_TOKEN}`);
      expect(req.body.studentId).to.equal('student-demo-2');
      expect(fake.requests.find((r) => r.path === '/auth/me')!.headers.get('authorization')).to.equal(
        `Bearer ${PARENT_TOKEN}`,
      );
    });

    it('lets the parent choose the child when the token names several, and buys for that one', async () => {
      const el = await mount({ 'student-id': null });
      await pick(el, ['MONDAY', '16:00']);
      await waitUntil(() => childRadios(el).length === 2, 'no child chooser');
      expect(text(el, '[part~=child-chooser] legend')).to.equal('Who is this pack for?');
      expect(text(el, '[part~=child-chooser]')).to.include('Sara Osman').and.include('Adam Osman');
      const go = $(el, '[part~=continue-button]') as HTMLButtonElement;
      expect(go.disabled, 'no child chosen yet').to.equal(true);
      expect(text(el, '.purchase .hint')).to.equal('Choose your child to buy.');
      childRadios(el)[1]!.click();
      await el.updateComplete;
      expect(go.disabled).to.equal(false);
      await buy(el);
      await waitUntil(() => $(el, '[part~=confirmation]'));
      expect(fake.purchases()[0]!.body.studentId).to.equal('student-demo-2');
    });

    it('ignores a student-id the token does not name, and shows no chooser for a single child', async () => {
      fake.parents.set('only-child', { guardianId: 'g', students: [{ id: 'kid-1', name: 'Only' }] });
      const el = await mount({ 'parent-token': 'only-child', 'student-id': 'student-demo' });
      await pick(el, ['MONDAY', '16:00']);
      await waitUntil(() => fake.requests.some((r) => r.path === '/auth/me'));
      await el.updateComplete;
      expect(childRadios(el)).to.have.length(0);
      await buy(el);
      await waitUntil(() => $(el, '[part~=confirmation]'));
      expect(fake.purchases()[0]!.body.studentId).to.equal('kid-1');
    });

    it('buys nothing with a token the API does not accept, and says so', async () => {
      const el = await mount({ 'parent-token': 'expired-token' });
      await pick(el, ['MONDAY', '16:00']);
      const go = $(el, '[part~=continue-button]') as HTMLButtonElement;
      expect(go.disabled).to.equal(true);
      expect(text(el, '.purchase .hint')).to.equal('Sign in to buy this pack.');
      expect(fake.purchases()).to.have.length(0);
    });

    it('labels the chooser in Arabic, with each child’s Arabic name where the school gave one', async () => {
      const el = await mount({ lang: 'ar', 'student-id': null });
      await pick(el, ['MONDAY', '16:00']);
      await waitUntil(() => childRadios(el).length === 2, 'no child chooser');
      expect(text(el, '[part~=child-chooser] legend')).to.equal('لمن هذه الباقة؟');
      const names = $$(el, '[part~=child-chooser] [part~=child]').map((label) => label.textContent!.trim());
      expect(names).to.deep.equal(['سارة عثمان', 'Adam Osman']);
      expect(text(el, '.purchase .hint')).to.equal('اختر طفلك لإتمام الشراء.');
    });
  });

  describe('events', () => {
    it('fires smart-pack-change on user action with patterns, sessions and validation', async () => {
      const el = await mount();
      const change = oneEvent(el, 'smart-pack-change') as Promise<SmartPackChangeEvent>;
      cell(el, 'MONDAY', '16:00').click();
      const ev = await change;
      expect(ev.bubbles && ev.composed).to.equal(true);
      expect(ev.detail.patterns).to.deep.equal([{ weekday: 'MONDAY', time: '16:00' }]);
      expect(ev.detail.sessions).to.have.length(8);
      expect(ev.detail.validation?.available).to.equal(true);
    });

    it('does not fire when properties are set from code', async () => {
      const el = await mount();
      const seen: Event[] = [];
      el.addEventListener('smart-pack-change', (e) => seen.push(e));
      el.patterns = [{ weekday: 'TUESDAY', time: '16:00' }];
      await el.updateComplete;
      await checked(el);
      expect($$(el, '[part~=sessions] li')).to.have.length(8);
      el.setAttribute('tier-id', 'tier-5');
      await el.updateComplete;
      await checked(el);
      expect($$(el, '[part~=sessions] li')).to.have.length(4);
      expect(seen).to.have.length(0);
      // …while a click right after does fire, so the listener itself works.
      cell(el, 'MONDAY', '16:00').click();
      await waitUntil(() => seen.length === 1, 'user click did not fire');
    });
  });

  describe('host integration', () => {
    it('uses an injected client instead of fetch', async () => {
      const calls: string[] = [];
      const client = createFetchClient('', (input, init) => {
        calls.push(String(input));
        return window.fetch(input, init);
      });
      const el = document.createElement('smart-pack-grid');
      el.client = client;
      el.setAttribute('teacher-id', 't1');
      document.body.append(el);
      try {
        await waitUntil(() => $(el, '[role=grid]'));
        expect(calls.some((c) => c.includes('/weekly-availability'))).to.equal(true);
      } finally {
        el.remove();
      }
    });

    it('is typed in HTMLElementTagNameMap and exposes every slot state as a part', async () => {
      const el: SmartPackGrid = document.createElement('smart-pack-grid');
      expect(el).to.be.instanceOf(customElements.get('smart-pack-grid')!);
      const mounted = await mount();
      const parts = new Set(gridCells(mounted).flatMap((c) => c.getAttribute('part')!.split(' ')));
      expect([...parts].sort()).to.deep.equal(['slot', 'slot-free', 'slot-partial', 'slot-unavailable']);
    });
  });

  describe('time zones', () => {
    it('labels the teacher zone and adds the viewer’s own times when they differ', async () => {
      const el = await mount({ 'viewer-time-zone': 'Europe/London' });
      // Zones by name and UTC offset, never the raw IANA id.
      expect(text(el, '[part~=timezone]')).to.include('Central Africa Time (GMT+2)').and.include('(GMT+0)');
      expect(text(el, '[part~=timezone]')).not.to.include('Africa/Khartoum');
      expect(text(el, '[part~=timezone]')).not.to.include('Europe/London');
      // 16:00 in Khartoum (UTC+2) is 14:00 in London in January.
      const row16 = $$(el, '[role=rowheader]')[1]!;
      expect(row16.textContent).to.include('16:00').and.include('14:00');
      await pick(el, ['MONDAY', '16:00']);
      expect($$(el, '[part~=sessions] li')[0]!.textContent).to.include('your time: Mon, Jan 5 14:00');
    });

    it('shows only the teacher zone when the viewer is in the same zone', async () => {
      const el = await mount();
      expect(text(el, '[part~=timezone]')).not.to.include('your time');
      expect($$(el, '.rowhead .viewer')).to.have.length(0);
    });
  });
});

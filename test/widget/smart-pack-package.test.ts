import { chai, expect, fixture, oneEvent, waitUntil } from '@open-wc/testing';
import 'axe-core';
import type { PackageChangeDetail, PackageClient, SmartPackPackage } from '../../widget/package.js';
import '../../widget/package.js';
import { FakePackageApi, FEED_TOKEN, MANAGE_TOKEN, plusDays, slotOf, todayLocal } from './fake-package-api.js';

declare global {
  interface Window {
    axe: typeof import('axe-core');
  }
}
chai.config.truncateThreshold = 0;

const $ = (el: SmartPackPackage, sel: string) => el.shadowRoot!.querySelector<HTMLElement>(sel);
const $$ = (el: SmartPackPackage, sel: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(sel)];
const text = (node: Element | null) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const sessionItem = (el: SmartPackPackage, id: string) => $(el, `[part~=session][data-session-id="${id}"]`)!;

let fake: FakePackageApi;
beforeEach(() => {
  fake = new FakePackageApi().install();
});
afterEach(() => fake.uninstall());

async function mount(lang = 'en-US') {
  const el = await fixture<SmartPackPackage>(
    `<smart-pack-package api-base="https://api.example" package-id="p1" token="${MANAGE_TOKEN}" lang="${lang}"></smart-pack-package>`,
  );
  await waitUntil(() => $(el, '[part~=sessions]'), 'package did not render');
  return el;
}

async function openPicker(el: SmartPackPackage, button: HTMLElement) {
  button.click();
  await waitUntil(() => $$(el, '[part~=slot]').length > 0, 'no free slots shown');
}

/** The parent's yes to the confirmation the last gesture opened. */
async function confirmYes(el: SmartPackPackage) {
  await waitUntil(() => $(el, '[part~=confirm-yes]'), 'no confirmation asked');
  $(el, '[part~=confirm-yes]')!.click();
}

async function settled(el: SmartPackPackage) {
  await waitUntil(
    () => !$$(el, 'button').some((b) => (b as HTMLButtonElement).disabled) && $(el, '[part~=message]'),
    'action did not settle',
  );
}

describe('<smart-pack-package>', () => {
  it('lists the sessions in the teacher’s time with the floating credits, the end date and an add-to-calendar link', async () => {
    const el = await mount();
    const items = $$(el, '[part~=session]');
    expect(items).to.have.length(4);
    const first = fake.sessions[0]!.slot;
    expect(text(items[0]!)).to.include('Session 1');
    expect(text(items[0]!)).to.include('16:00');
    expect(text(items[0]!)).to.include(
      new Intl.DateTimeFormat('en-US', { day: 'numeric', timeZone: 'UTC' }).format(
        Date.parse(`${first.date}T12:00:00Z`),
      ),
    );
    expect(text($(el, '[part~=state]'))).to.equal('Active');
    expect(text($(el, '[part~=summary]'))).to.include('2 floating sessions left to book before');
    expect(text($(el, '[part~=summary]'))).to.include('up to 24 hours before');
    const link = $(el, '[part~=calendar-link]') as HTMLAnchorElement;
    // The feed's own read-only token, never the manage token the page was opened with.
    // In the page's language: the API writes the feed's titles in it.
    expect(link.getAttribute('href')).to.equal(
      `https://api.example/packages/p1/calendar.ics?token=${FEED_TOKEN}&lang=en`,
    );
    expect(link.getAttribute('href')).not.to.include(MANAGE_TOKEN);
    expect(text(link)).to.equal('Add to calendar');
  });

  it('reschedules a session to a time chosen from the teacher’s free slots, within its limit', async () => {
    const el = await mount();
    await openPicker(el, sessionItem(el, 's1').querySelector('[part~=reschedule-button]')!);
    const slotsRequest = fake.requests.find((r) => r.path === '/marketplace/teachers/t1/slots')!;
    const params = new URLSearchParams(slotsRequest.search);
    expect(params.get('from')).to.equal(todayLocal());
    expect(params.get('to')).to.equal(plusDays(todayLocal(), 13));
    expect(params.get('duration')).to.equal('60');

    const target = slotOf(plusDays(todayLocal(), 4), '11:00');
    const changed = oneEvent(el, 'smart-pack-package-change');
    $(el, `[part~=slot][data-start="${target.startUtc}"]`)!.click();
    await confirmYes(el);
    const event = (await changed) as CustomEvent<PackageChangeDetail>;
    expect(event.detail.action).to.equal('reschedule');
    expect(fake.requests.at(-1)).to.deep.include({
      method: 'POST',
      path: '/packages/p1/sessions/s1/reschedule',
      body: { date: target.date, time: '11:00' },
    });
    await settled(el);
    expect(text(sessionItem(el, 's1'))).to.include('11:00');
    expect(text($(el, '[part~=message]'))).to.match(/^Session 1 moved to .*11:00\.$/);
    expect($(el, '[part~=picker]')).to.equal(null);
    expect(text(sessionItem(el, 's1').querySelector('[part~=reschedule-button]'))).to.equal('Reschedule (1 left)');

    // The second reschedule uses the limit up; then the button gives way to an explanation.
    await openPicker(el, sessionItem(el, 's1').querySelector('[part~=reschedule-button]')!);
    $$(el, '[part~=slot]')[0]!.click();
    await confirmYes(el);
    await waitUntil(() => !sessionItem(el, 's1').querySelector('[part~=reschedule-button]'), 'limit not reflected');
    expect(text(sessionItem(el, 's1'))).to.include('No reschedules left for this session');
  });

  it('books floating sessions from the free slots until none are left', async () => {
    const el = await mount();
    for (const left of [2, 1]) {
      const button = $(el, '[part~=book-floating]')!;
      expect(text(button)).to.equal(`Book a floating session (${left} left)`);
      await openPicker(el, button);
      const slot = $$(el, '[part~=slot]')[left]!;
      const start = slot.dataset.start!;
      slot.click();
      await confirmYes(el);
      await waitUntil(() => $$(el, '[part~=session]').length === 4 + 3 - left, 'floating session not shown');
      expect(fake.requests.at(-1)).to.deep.include({ method: 'POST', path: '/packages/p1/floating-sessions' });
      expect(fake.sessions.at(-1)!.slot.startUtc).to.equal(start);
    }
    await settled(el);
    expect($(el, '[part~=book-floating]')).to.equal(null);
    expect(text($(el, '[part~=summary]'))).not.to.include('floating sessions left');
    expect(
      $$(el, '[part~=session] .badge')
        .map(text)
        .filter((t) => t === 'floating'),
    ).to.have.length(2);
  });

  it('says so when a chosen time was just taken and shows the times still free', async () => {
    const el = await mount();
    await openPicker(el, $(el, '[part~=book-floating]')!);
    const slot = $$(el, '[part~=slot]')[0]!;
    const start = slot.dataset.start!;
    fake.takenNext.add(start);
    slot.click();
    await confirmYes(el);
    await waitUntil(() => $(el, '[part~=message]'), 'no message');
    expect($(el, '[part~=message]')!.getAttribute('role')).to.equal('alert');
    expect(text($(el, '[part~=message]'))).to.equal('Someone just took that time. Here are the times still free.');
    await waitUntil(
      () => !$(el, `[part~=slot][data-start="${start}"]`) && $$(el, '[part~=slot]').length > 0,
      'slots not reloaded',
    );
    expect(fake.floatingUsed).to.equal(0);
  });

  it('shows a session hit by the teacher’s time off with same-week alternatives and the floating-credit option', async () => {
    const alternative = slotOf(plusDays(todayLocal(), 11), '16:00');
    fake.flag('s2', [alternative]);
    const el = await mount();
    expect(text($(el, '[part~=attention]'))).to.equal('1 session needs your attention');
    const item = sessionItem(el, 's2');
    expect(item.classList.contains('flagged')).to.equal(true);
    expect(text(item)).to.include('The teacher is not available at this time');
    const move = item.querySelector<HTMLElement>('[part~=alternative]')!;
    expect(text(move)).to.match(/^Move to .*16:00$/);
    move.click();
    await confirmYes(el);
    await settled(el);
    expect(fake.requests.at(-1)).to.deep.include({
      path: '/packages/p1/sessions/s2/reschedule',
      body: { date: alternative.date, time: '16:00' },
    });
    expect(fake.session('s2').rescheduleCount).to.equal(0);
    expect($(el, '[part~=attention]')).to.equal(null);

    fake.flag('s3', []);
    await el.reload();
    sessionItem(el, 's3').querySelector<HTMLElement>('[part~=float-button]')!.click();
    await confirmYes(el);
    await waitUntil(() => sessionItem(el, 's3').classList.contains('cancelled'), 'not floated');
    expect(fake.requests.at(-1)).to.deep.include({ method: 'POST', path: '/packages/p1/sessions/s3/float' });
    expect(text($(el, '[part~=book-floating]'))).to.equal('Book a floating session (3 left)');
  });

  it('offers no changes once the pack has ended and reports the expired credits', async () => {
    fake.state = 'expired';
    fake.floatingUsed = 1;
    const el = await mount();
    expect(text($(el, '[part~=state]'))).to.equal('Ended');
    expect(text($(el, '[part~=summary]'))).to.include('1 floating session expired unused on');
    expect($(el, '[part~=book-floating]')).to.equal(null);
    expect($$(el, '[part~=reschedule-button], [part~=float-button]')).to.have.length(0);
    expect($(el, '[part~=calendar-link]')).not.to.equal(null);
  });

  it('says in words when a no-show came back as a floating credit, whose it was, in both languages', async () => {
    fake.session('s1').status = 'cancelled';
    fake.session('s1').cancelReason = 'teacher_no_show';
    fake.session('s2').status = 'cancelled';
    fake.session('s2').cancelReason = 'student_no_show';
    const badges = (el: SmartPackPackage, id: string) =>
      [...sessionItem(el, id).querySelectorAll('.badge')].map((badge) => badge.textContent!.trim());
    const en = await mount();
    expect(badges(en, 's1')).to.deep.equal(['the teacher did not come: back as a floating credit']);
    expect(badges(en, 's2')).to.deep.equal(['missed: back as a floating credit']);
    en.remove();
    const ar = await mount('ar-SD');
    expect(badges(ar, 's1')).to.deep.equal(['لم يحضر المعلم: عادت حصةً مرنة']);
    expect(badges(ar, 's2')).to.deep.equal(['فاتت: عادت حصةً مرنة']);
  });

  it('speaks Arabic right to left', async () => {
    const el = await mount('ar-SD');
    expect($(el, '[part~=base]')!.getAttribute('dir')).to.equal('rtl');
    expect(text($(el, 'h2'))).to.include('باقتك الذكية');
    expect(text($(el, '[part~=calendar-link]'))).to.equal('أضف إلى التقويم');
  });

  it('has no accessibility violations, also with the picker open', async () => {
    fake.flag('s2', [slotOf(plusDays(todayLocal(), 11), '16:00')]);
    const el = await mount();
    const check = async (state: string) => {
      const result = await window.axe.run(el, { resultTypes: ['violations'] });
      expect(
        result.violations.map((v) => `${v.id}: ${v.help}`),
        state,
      ).to.deep.equal([]);
    };
    await check('loaded');
    await openPicker(el, sessionItem(el, 's1').querySelector('[part~=reschedule-button]')!);
    await check('picker open');
  });

  it('picks up a load interrupted by detaching once it is attached again', async () => {
    const calls: AbortSignal[] = [];
    const client: Pick<PackageClient, 'getPackage' | 'calendarUrl'> = {
      // The first answer never comes (the element is detached meanwhile); the second one does.
      getPackage: (_id, signal) => {
        calls.push(signal!);
        return calls.length === 1 ? new Promise(() => {}) : Promise.resolve(fake.view());
      },
      calendarUrl: (id) => `/packages/${id}/calendar.ics`,
    };
    const el = document.createElement('smart-pack-package');
    el.client = client as PackageClient;
    el.packageId = 'p1';
    document.body.append(el);
    try {
      await waitUntil(() => calls.length === 1, 'the package was not requested');
      el.remove();
      expect(calls[0]!.aborted, 'detaching did not abort the request').to.equal(true);
      document.body.append(el);
      await waitUntil(() => $(el, '[part~=sessions]'), 'the re-attached view did not load the package');
      expect(calls).to.have.length(2);
    } finally {
      el.remove();
    }
  });

  it('sends its token as the bearer on every call about the package, and without one shows the refusal', async () => {
    const el = await mount();
    await openPicker(el, $(el, '[part~=book-floating]')!);
    $$(el, '[part~=slot]')[0]!.click();
    await confirmYes(el);
    await settled(el);
    const calls = fake.requests.filter((r) => r.path.startsWith('/packages/'));
    expect(calls.map((r) => r.method)).to.deep.equal(['GET', 'POST']);
    expect(calls.every((r) => r.authorization === `Bearer ${MANAGE_TOKEN}`)).to.equal(true);
    const anonymous = await fixture<SmartPackPackage>(
      '<smart-pack-package api-base="https://api.example" package-id="p1" lang="en"></smart-pack-package>',
    );
    await waitUntil(() => $(anonymous, '[role=alert]'), 'no refusal shown');
    expect(fake.requests.at(-1)!.authorization).to.equal(null);
  });

  it('shows a retry when the pack cannot be loaded', async () => {
    fake.uninstall();
    const original = window.fetch;
    window.fetch = () => Promise.reject(new TypeError('offline'));
    try {
      const el = await fixture<SmartPackPackage>(
        `<smart-pack-package package-id="p1" token="${MANAGE_TOKEN}" lang="en"></smart-pack-package>`,
      );
      await waitUntil(() => $(el, '[role=alert]'), 'no error shown');
      expect(text($(el, '[role=alert]'))).to.include('We could not load this pack.');
      window.fetch = original;
      fake.install();
      $(el, '[role=alert] button')!.click();
      await waitUntil(() => $(el, '[part~=sessions]'), 'retry did not load');
    } finally {
      window.fetch = original;
    }
  });
});

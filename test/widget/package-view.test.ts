/**
 * `<smart-pack-package>` as a parent on a phone meets it (360 px): the sessions whole and in date order, who
 * teaches what and what was paid, a confirmation before every irreversible action (with the focus where a
 * keyboard user needs it), the unpaid states, and errors that say what to do.
 */
import { chai, expect, fixture, waitUntil } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import 'axe-core';
import type { SmartPackPackage } from '../../widget/package.js';
import '../../widget/package.js';
import { formatMoney } from '../../widget/format.js';
import { FakePackageApi, MANAGE_TOKEN, plusDays, slotOf, todayLocal } from './fake-package-api.js';

declare global {
  interface Window {
    axe: typeof import('axe-core');
  }
}
chai.config.truncateThreshold = 0;

const $ = (el: SmartPackPackage, sel: string) => el.shadowRoot!.querySelector<HTMLElement>(sel);
const $$ = (el: SmartPackPackage, sel: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(sel)];
const text = (node: Element | null) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const item = (el: SmartPackPackage, id: string) => $(el, `[part~=session][data-session-id="${id}"]`)!;
const focused = (el: SmartPackPackage) => el.shadowRoot!.activeElement as HTMLElement | null;
/** Money as the view shows it, spaces as `text()` reads them (Intl puts no-break spaces in). */
const money = (locale: string, minor: number) => formatMoney(locale, minor, 'SDG').replace(/\s+/g, ' ');
const posts = () => fake.requests.filter((r) => r.method === 'POST');

let fake: FakePackageApi;
beforeEach(async () => {
  await setViewport({ width: 360, height: 780 });
  fake = new FakePackageApi().install();
});
afterEach(() => fake.uninstall());

async function mount(lang = 'en', packageId = 'p1') {
  const el = await fixture<SmartPackPackage>(
    `<smart-pack-package api-base="https://api.example" package-id="${packageId}" token="${MANAGE_TOKEN}" lang="${lang}"></smart-pack-package>`,
  );
  await waitUntil(() => $(el, '[part~=sessions]') || $(el, '[part~=load-error]'), 'package did not render');
  return el;
}

async function axeClean(el: SmartPackPackage, state: string) {
  const result = await window.axe.run(el, { resultTypes: ['violations'] });
  expect(
    result.violations.map((v) => `${v.id}: ${v.help}`),
    state,
  ).to.deep.equal([]);
}

/** A floating session booked for `days` from today (written last, as the API does: after the recurring ones). */
function bookedFloating(days: number) {
  fake.floatingUsed = 1;
  fake.sessions.push({
    id: 'f5',
    sessionNumber: 5,
    kind: 'floating',
    status: 'scheduled',
    slot: slotOf(plusDays(todayLocal(), days), '10:00'),
    rescheduleCount: 0,
    flaggedReason: null,
    alternatives: [],
  });
}

async function openPicker(el: SmartPackPackage, button: HTMLElement) {
  button.click();
  await waitUntil(() => $$(el, '[part~=slot]').length > 0, 'no free slots shown');
}

describe('<smart-pack-package> on a phone', () => {
  it('shows every session whole, in date order, a floating one at its own date, marked, with no float offer', async () => {
    bookedFloating(5);
    const el = await mount();
    const ids = $$(el, '[part~=session]').map((li) => li.dataset.sessionId);
    expect(ids).to.deep.equal(['s1', 'f5', 's2', 's3', 's4']);
    const floating = item(el, 'f5');
    expect(text(floating)).to.match(/^Session 5 · .* 10:00 floating/);
    expect(floating.querySelector('[part~=float-button]'), 'a floating session offers to become one').to.equal(null);
    expect(floating.querySelector('[part~=reschedule-button]')).not.to.equal(null);
    expect(item(el, 's2').querySelector('[part~=float-button]')).not.to.equal(null);
    // No inner scroll box: nothing in the view scrolls on its own, and the last session is inside the element.
    for (const node of $$(el, '*')) {
      const { overflowY } = getComputedStyle(node);
      expect(['auto', 'scroll'].includes(overflowY) && node.scrollHeight > node.clientHeight, node.className).to.equal(
        false,
      );
    }
    const last = $$(el, '[part~=session]').at(-1)!.getBoundingClientRect();
    expect(last.bottom).to.be.at.most(el.getBoundingClientRect().bottom);
  });

  it('names the subject and the teacher and says what was paid and where the escrow stands, in both languages', async () => {
    fake.releasedMinor = 18_000;
    const m = money;
    const en = await mount('en');
    expect(text($(en, '[part~=teacher]'))).to.equal('Mathematics with Amna Hassan');
    expect(text($(en, '[part~=paid]'))).to.equal(
      `Paid ${m('en', 60_000)} · ${m('en', 18_000)} released to the teacher · ${m('en', 42_000)} held`,
    );
    expect(text($(en, '[part~=summary]'))).to.include('Central Africa Time');
    const ar = await mount('ar');
    expect(text($(ar, '[part~=teacher]'))).to.equal('الرياضيات مع آمنة حسن');
    expect(text($(ar, '[part~=paid]'))).to.equal(
      `المدفوع ${m('ar', 60_000)} · صُرف للمعلم ${m('ar', 18_000)} · محتجز ${m('ar', 42_000)}`,
    );
    expect(text($(ar, '[part~=summary]'))).not.to.include('Africa/Khartoum');
    expect($(ar, '[part~=calendar-link]')!.getAttribute('href')).to.match(/&lang=ar$/);
  });

  it('asks before moving a session: "Move session 1 to …?" with the focus on Move; Keep moves nothing and returns the focus', async () => {
    const el = await mount();
    await openPicker(el, item(el, 's1').querySelector('[part~=reschedule-button]')!);
    const target = slotOf(plusDays(todayLocal(), 4), '11:00');
    const slot = () => $(el, `[part~=slot][data-start="${target.startUtc}"]`);
    slot()!.click();
    await waitUntil(() => $(el, '[part~=confirm]'), 'no confirmation');
    const confirm = $(el, '[part~=confirm]')!;
    expect(confirm.getAttribute('role')).to.equal('group');
    const question = el.shadowRoot!.getElementById(confirm.getAttribute('aria-labelledby')!)!;
    expect(text(question)).to.match(/^Move session 1 to .*11:00\?$/);
    expect(focused(el)).to.equal($(el, '[part~=confirm-yes]'));
    expect(text(focused(el))).to.equal('Move');
    expect(posts()).to.have.length(0);
    await axeClean(el, 'move confirmation');

    $(el, '[part~=confirm-no]')!.click();
    await waitUntil(() => !$(el, '[part~=confirm]') && slot(), 'keep did not bring the times back');
    await el.updateComplete;
    expect(focused(el)).to.equal(slot());
    expect(posts()).to.have.length(0);

    // Escape keeps too.
    slot()!.click();
    await waitUntil(() => $(el, '[part~=confirm-yes]'), 'no confirmation');
    focused(el)!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await waitUntil(() => !$(el, '[part~=confirm]'), 'escape did not keep');
    expect(posts()).to.have.length(0);

    slot()!.click();
    await waitUntil(() => $(el, '[part~=confirm-yes]'), 'no confirmation');
    $(el, '[part~=confirm-yes]')!.click();
    await waitUntil(() => $(el, '[part~=message]'), 'not moved');
    expect(posts().map((r) => r.path)).to.deep.equal(['/packages/p1/sessions/s1/reschedule']);
    expect(text(item(el, 's1'))).to.include('11:00');
    // The confirmation is gone; the focus is on what came of it, not lost to the page.
    await el.updateComplete;
    expect(focused(el)).to.equal($(el, '[part~=message]'));
  });

  it('asks before making a session floating, and before taking a suggested time', async () => {
    const alternative = slotOf(plusDays(todayLocal(), 11), '16:00');
    fake.flag('s2', [alternative]);
    const el = await mount();
    item(el, 's3').querySelector<HTMLElement>('[part~=float-button]')!.click();
    await waitUntil(() => $(el, '[part~=confirm]'), 'no confirmation');
    expect(text($(el, '#confirm-question'))).to.match(
      /^Make session 3 a floating session\? Its time is given up; you can book the credit for another time before .+\.$/,
    );
    expect(text(focused(el))).to.equal('Make it floating');
    $(el, '[part~=confirm-no]')!.click();
    await waitUntil(() => !$(el, '[part~=confirm]'), 'keep did not close');
    await el.updateComplete;
    expect(focused(el)).to.equal(item(el, 's3').querySelector('[part~=float-button]'));
    expect(posts()).to.have.length(0);

    item(el, 's2').querySelector<HTMLElement>('[part~=alternative]')!.click();
    await waitUntil(() => $(el, '[part~=confirm]'), 'no confirmation for the suggestion');
    expect(text($(el, '#confirm-question'))).to.match(/^Move session 2 to .*16:00\?$/);
    expect(posts()).to.have.length(0);
    $(el, '[part~=confirm-yes]')!.click();
    await waitUntil(() => !item(el, 's2').classList.contains('flagged'), 'not moved');
    expect(posts().map((r) => r.path)).to.deep.equal(['/packages/p1/sessions/s2/reschedule']);
  });

  it('cancels the pack only after a confirmation that states the refund policy, and says what is refunded', async () => {
    const el = await mount();
    const cancel = $(el, '[part~=cancel-button]')!;
    expect(text(cancel)).to.equal('Cancel pack');
    cancel.click();
    await waitUntil(() => $(el, '[part~=confirm]'), 'no confirmation');
    expect(text($(el, '#confirm-question'))).to.equal(
      'Cancel the whole pack? Sessions more than 24 hours away and unused floating credits are refunded; sessions within 24 hours are still taught and paid to the teacher.',
    );
    expect(text(focused(el))).to.equal('Cancel the pack');
    await axeClean(el, 'cancel confirmation');
    $(el, '[part~=confirm-no]')!.click();
    await waitUntil(() => $(el, '[part~=cancel-button]'), 'keep did not bring the button back');
    await el.updateComplete;
    expect(focused(el)).to.equal($(el, '[part~=cancel-button]'));
    expect(posts()).to.have.length(0);

    $(el, '[part~=cancel-button]')!.click();
    await waitUntil(() => $(el, '[part~=confirm-yes]'), 'no confirmation');
    $(el, '[part~=confirm-yes]')!.click();
    await waitUntil(() => $(el, '[part~=message]'), 'not cancelled');
    expect(posts().map((r) => r.path)).to.deep.equal(['/packages/p1/cancel']);
    expect(text($(el, '[part~=state]'))).to.equal('Cancelled');
    expect(text($(el, '[part~=message]'))).to.equal(`Your pack is cancelled. ${money('en', 60_000)} is refunded.`);
    expect($$(el, '[part~=cancel-button], [part~=reschedule-button], [part~=float-button], [part~=book-floating]')).to
      .be.empty;
  });

  it('in Arabic asks in Arabic, with the dual and the joined preposition', async () => {
    fake.floatingCount = 2;
    const el = await mount('ar');
    expect(text($(el, '[part~=summary]'))).to.include('بقيت حصتان مرنتان للحجز قبل');
    await openPicker(el, item(el, 's1').querySelector('[part~=reschedule-button]')!);
    expect(text($(el, '[part~=picker] h3'))).to.match(/^اختر موعداً جديداً للحصة /);
    $$(el, '[part~=slot]')[0]!.click();
    await waitUntil(() => $(el, '[part~=confirm]'), 'no confirmation');
    expect(text($(el, '#confirm-question'))).to.match(/^نقل الحصة .+ إلى .+؟$/);
    expect(text(focused(el))).to.equal('انقلها');
    expect(text($(el, '[part~=confirm-no]'))).to.equal('أبقِها');
    await axeClean(el, 'arabic move confirmation');
  });

  it('waits for payment until the hold’s time, offers to cancel the purchase, then says the hold lapsed', async () => {
    const until = new Date(Date.now() + 10 * 60_000);
    fake.state = 'pending_payment';
    fake.holdExpiresAt = until.toISOString();
    const el = await mount();
    const clock = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(until);
    expect(text($(el, '[part~=state]'))).to.equal(`Waiting for payment until ${clock}`);
    expect(text($(el, '[part~=paid]'))).to.equal(`Price ${money('en', 60_000)} · nothing paid yet`);
    expect($$(el, '[part~=reschedule-button], [part~=float-button], [part~=book-floating]')).to.be.empty;
    $(el, '[part~=cancel-button]')!.click();
    await waitUntil(() => $(el, '[part~=confirm]'), 'no confirmation');
    expect(text($(el, '#confirm-question'))).to.equal(
      'Cancel this purchase? Nothing has been paid; the held times are freed.',
    );
    await axeClean(el, 'pending payment');

    fake.state = 'hold_expired';
    await el.reload();
    expect(text($(el, '[part~=state]'))).to.equal('Not paid in time');
    expect(text($(el, '[part~=paid]'))).to.equal(
      'The payment did not come in time: the times were freed and nothing was charged.',
    );
    expect($(el, '[part~=cancel-button]')).to.equal(null);
  });

  it('says an unknown or another family’s pack cannot be found, with no Retry that cannot help', async () => {
    for (const [lang, message] of [
      ['en', 'We could not find this pack. Open the link from your email again.'],
      ['ar', 'لم نجد هذه الباقة. افتح الرابط من بريدك الإلكتروني مرة أخرى.'],
    ] as const) {
      const el = await mount(lang, 'someone-elses-pack');
      const alert = $(el, '[part~=load-error]')!;
      expect(alert.getAttribute('role')).to.equal('alert');
      expect(text(alert)).to.equal(message);
      expect(alert.querySelector('button'), 'a Retry is offered').to.equal(null);
      await axeClean(el, `not found ${lang}`);
    }
  });

  it('a Retry that works clears every error it covers', async () => {
    const el = await mount();
    fake.uninstall();
    const original = window.fetch;
    window.fetch = () => Promise.reject(new TypeError('offline'));
    try {
      // Offline: the picker cannot load its times, and a float fails with "the connection failed".
      item(el, 's1').querySelector<HTMLElement>('[part~=reschedule-button]')!.click();
      await waitUntil(() => $(el, '[part~=picker] [role=alert] button'), 'no slots error');
      item(el, 's2').querySelector<HTMLElement>('[part~=float-button]')!.click();
      await waitUntil(() => $(el, '[part~=confirm-yes]'), 'no confirmation');
      $(el, '[part~=confirm-yes]')!.click();
      await waitUntil(() => $(el, '[part~=message]'), 'no network error');
      expect(text($(el, '[part~=message]'))).to.equal('The connection failed. Nothing was changed; please try again.');
    } finally {
      window.fetch = original;
      fake.install();
    }
    // Back online: the picker's Retry loads the times, and no error stays on screen.
    $(el, '[part~=picker] [role=alert] button')!.click();
    await waitUntil(() => $$(el, '[part~=slot]').length > 0, 'retry did not load the times');
    await el.updateComplete;
    expect($$(el, '[role=alert]').map(text), 'an error stayed after a Retry that worked').to.deep.equal([]);
  });

  it('clears the load error once its Retry brings the pack back', async () => {
    fake.uninstall();
    const original = window.fetch;
    window.fetch = () => Promise.reject(new TypeError('offline'));
    try {
      const el = await fixture<SmartPackPackage>(
        `<smart-pack-package package-id="p1" token="${MANAGE_TOKEN}" lang="en"></smart-pack-package>`,
      );
      await waitUntil(() => $(el, '[part~=load-error] button'), 'no retry offered for a network failure');
      window.fetch = original;
      fake.install();
      $(el, '[part~=load-error] button')!.click();
      await waitUntil(() => $(el, '[part~=sessions]'), 'retry did not load');
      expect($$(el, '[role=alert]')).to.be.empty;
    } finally {
      window.fetch = original;
    }
  });
});

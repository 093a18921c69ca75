import { chai, expect, fixture, oneEvent, waitUntil } from '@open-wc/testing';
import { resetMouse, sendKeys, sendMouse, setViewport } from '@web/test-runner-commands';
import 'axe-core';
import type { SmartPackTeacher, SmartPackTeacherChangeDetail } from '../../widget/teacher.js';
import '../../widget/teacher.js';
import { FakeTeacherApi, khartoum, plusDays, TEACHER_TOKEN, todayLocal } from './fake-teacher-api.js';

declare global {
  interface Window {
    axe: typeof import('axe-core');
  }
}
chai.config.truncateThreshold = 0;

const $ = (el: SmartPackTeacher, sel: string) => el.shadowRoot!.querySelector<HTMLElement>(sel);
const $$ = (el: SmartPackTeacher, sel: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(sel)];
const text = (node: Element | null) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const cell = (el: SmartPackTeacher, weekday: string, time: string) => {
  const c = $(el, `[role=gridcell][data-weekday="${weekday}"][data-time="${time}"]`);
  if (!c) throw new Error(`no cell ${weekday} ${time}`);
  return c;
};
const on = (el: SmartPackTeacher, weekday: string, time: string) =>
  cell(el, weekday, time).getAttribute('aria-selected') === 'true';
/** The ranges listed under the grid, as "WEEKDAY HH:mm" of their start. */
const ranges = (el: SmartPackTeacher) => $$(el, '[part~=range]').map((li) => text(li.querySelector('span')));

async function expectNoViolations(el: SmartPackTeacher, state: string) {
  const result = await window.axe.run(el, { resultTypes: ['violations'] });
  const summary = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => n.target.join(' ')).join('\n    ')}`,
  );
  expect(summary, `axe violations in state "${state}"`).to.deep.equal([]);
}

let fake: FakeTeacherApi;
beforeEach(async () => {
  fake = new FakeTeacherApi().install();
  await setViewport({ width: 1100, height: 900 });
});
afterEach(async () => {
  fake.uninstall();
  await resetMouse();
});

async function mount(lang = 'en-US') {
  const el = await fixture<SmartPackTeacher>(
    `<smart-pack-teacher api-base="https://api.example" token="${TEACHER_TOKEN}" lang="${lang}"></smart-pack-teacher>`,
  );
  await waitUntil(() => $(el, '[role=grid]') && $(el, '[part~=session]'), 'the teacher page did not render');
  return el;
}

/** The centre of an element, in viewport pixels (what sendMouse takes). */
function centre(node: HTMLElement): [number, number] {
  const r = node.getBoundingClientRect();
  return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];
}

/** A mouse drag from the centre of one element to the centre of another (the first scrolled into view). */
async function drag(el: SmartPackTeacher, start: HTMLElement, end: HTMLElement) {
  start.scrollIntoView({ block: 'center' });
  const from = centre(start);
  const to = centre(end);
  await sendMouse({ type: 'move', position: from });
  await sendMouse({ type: 'down' });
  await sendMouse({ type: 'move', position: [from[0], Math.round((from[1] + to[1]) / 2)] });
  await sendMouse({ type: 'move', position: to });
  await sendMouse({ type: 'up' });
  await el.updateComplete;
}

async function focusCell(el: SmartPackTeacher, weekday: string, time: string) {
  const c = cell(el, weekday, time);
  c.scrollIntoView({ block: 'center' });
  await sendMouse({ type: 'click', position: centre(c) });
  // The click toggles the step; a second one puts it back, so the test starts from the week as loaded.
  await sendMouse({ type: 'click', position: centre(c) });
  await el.updateComplete;
  expect(el.shadowRoot!.activeElement).to.equal(cell(el, weekday, time));
}

async function saveWeek(el: SmartPackTeacher) {
  const changed = oneEvent(el, 'smart-pack-teacher-change');
  $(el, '[part~=save-button]')!.click();
  const event = (await changed) as CustomEvent<SmartPackTeacherChangeDetail>;
  await el.updateComplete;
  return event.detail;
}

describe('<smart-pack-teacher>', () => {
  describe('the weekly editor', function () {
    // Real mouse and keyboard through the browser's protocol: slow on a busy machine. This file runs in a pass of
    // its own (web-test-runner.config.mjs), since a protocol press can be lost among concurrent pages; a press
    // lost anyway is retried, and a wrong result still fails every try.
    this.timeout(30_000);
    this.retries(2);
    it('shows the saved ranges as selected blocks in the teacher’s zone, 06:00 to 24:00 in 30-minute rows', async () => {
      const el = await mount();
      expect(fake.requests[0]!.authorization).to.equal(`Bearer ${TEACHER_TOKEN}`);
      expect(text($(el, '[part~=timezone]'))).to.match(/Central Africa Time|GMT\+2/);
      const rows = $$(el, '[role=row]').slice(1);
      expect(text(rows[0]!.querySelector('[role=rowheader]'))).to.equal('06:00');
      expect(text(rows[rows.length - 1]!.querySelector('[role=rowheader]'))).to.equal('23:30');
      expect(on(el, 'MONDAY', '16:00')).to.equal(true);
      expect(on(el, 'MONDAY', '17:30')).to.equal(true);
      expect(on(el, 'MONDAY', '18:00')).to.equal(false);
      expect(on(el, 'WEDNESDAY', '09:00')).to.equal(true);
      expect(on(el, 'TUESDAY', '16:00')).to.equal(false);
      expect(ranges(el)).to.deep.equal(['Monday 16:00–18:00', 'Wednesday 09:00–12:00']);
      expect($(el, '[part~=unsaved]')).to.equal(null);
      expect(($(el, '[part~=save-button]') as HTMLButtonElement).disabled).to.equal(true);
    });

    it('adds a range by dragging over empty times, and Save sends exactly the blocks shown', async () => {
      const el = await mount();
      await drag(el, cell(el, 'TUESDAY', '10:00'), cell(el, 'TUESDAY', '11:30'));
      expect(ranges(el)).to.deep.equal(['Monday 16:00–18:00', 'Tuesday 10:00–12:00', 'Wednesday 09:00–12:00']);
      expect(text($(el, '[part~=unsaved]'))).to.include('Unsaved changes');
      const detail = await saveWeek(el);
      expect(fake.last('PUT', '/teacher/availability-rules')!.body).to.deep.equal({
        rules: [
          { weekday: 'MONDAY', startTime: '16:00', endTime: '18:00' },
          { weekday: 'TUESDAY', startTime: '10:00', endTime: '12:00' },
          { weekday: 'WEDNESDAY', startTime: '09:00', endTime: '12:00' },
        ],
      });
      expect(detail.action).to.equal('availability');
      expect(text($(el, '[part~=week-message]'))).to.include('Week saved');
      expect($(el, '[part~=unsaved]')).to.equal(null);
    });

    it('resizes a block by dragging its bottom edge, and shrinks it by dragging its top edge', async () => {
      const el = await mount();
      const bottom = cell(el, 'MONDAY', '17:30').querySelector<HTMLElement>('[data-edge=end]')!;
      await drag(el, bottom, cell(el, 'MONDAY', '19:00'));
      expect(ranges(el)).to.include('Monday 16:00–19:30');
      const top = cell(el, 'MONDAY', '16:00').querySelector<HTMLElement>('[data-edge=start]')!;
      await drag(el, top, cell(el, 'MONDAY', '17:00'));
      expect(ranges(el)).to.include('Monday 17:00–19:30');
      await saveWeek(el);
      expect(fake.last('PUT', '/teacher/availability-rules')!.body).to.deep.equal({
        rules: [
          { weekday: 'MONDAY', startTime: '17:00', endTime: '19:30' },
          { weekday: 'WEDNESDAY', startTime: '09:00', endTime: '12:00' },
        ],
      });
    });

    it('removes a range with its remove button, and Undo brings the saved week back', async () => {
      const el = await mount();
      const remove = $$(el, '[part~=remove-button]')[0]!;
      expect(remove.getAttribute('aria-label')).to.equal('Remove Monday 16:00–18:00');
      remove.click();
      await el.updateComplete;
      expect(ranges(el)).to.deep.equal(['Wednesday 09:00–12:00']);
      expect(on(el, 'MONDAY', '16:00')).to.equal(false);
      $(el, '[part~=undo-button]')!.click();
      await el.updateComplete;
      expect(ranges(el)).to.deep.equal(['Monday 16:00–18:00', 'Wednesday 09:00–12:00']);
      $$(el, '[part~=remove-button]')[0]!.click();
      await el.updateComplete;
      await saveWeek(el);
      expect(fake.last('PUT', '/teacher/availability-rules')!.body).to.deep.equal({
        rules: [{ weekday: 'WEDNESDAY', startTime: '09:00', endTime: '12:00' }],
      });
    });

    it('by keyboard: arrows move, Space toggles a step, adjacent steps merge, Shift+Arrow extends, Delete removes', async () => {
      const el = await mount();
      await focusCell(el, 'MONDAY', '18:00');
      // Space adds 18:00–18:30, which touches 16:00–18:00: one range.
      await sendKeys({ press: 'Space' });
      await el.updateComplete;
      expect(ranges(el)).to.include('Monday 16:00–18:30');
      await sendKeys({ down: 'Shift' });
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ up: 'Shift' });
      await el.updateComplete;
      expect(ranges(el)).to.include('Monday 16:00–19:30');
      expect(el.shadowRoot!.activeElement).to.equal(cell(el, 'MONDAY', '19:00'));
      // Space in the middle splits the range.
      await sendKeys({ press: 'ArrowUp' });
      await sendKeys({ press: 'ArrowUp' });
      await sendKeys({ press: 'Space' });
      await el.updateComplete;
      expect(ranges(el)).to.include('Monday 16:00–18:00');
      expect(ranges(el)).to.include('Monday 18:30–19:30');
      // Right moves to Tuesday (the page is LTR); Delete on an empty time changes nothing.
      await sendKeys({ press: 'ArrowRight' });
      await el.updateComplete;
      expect(el.shadowRoot!.activeElement).to.equal(cell(el, 'TUESDAY', '18:00'));
      await sendKeys({ press: 'ArrowLeft' });
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Delete' });
      await el.updateComplete;
      expect(ranges(el)).to.deep.equal(['Monday 16:00–18:00', 'Wednesday 09:00–12:00']);
      expect(el.shadowRoot!.activeElement).to.equal(cell(el, 'MONDAY', '18:30'));
      // Back to the week as saved: nothing to save.
      expect(($(el, '[part~=save-button]') as HTMLButtonElement).disabled).to.equal(true);
      await sendKeys({ press: 'ArrowUp' });
      await sendKeys({ press: 'ArrowUp' });
      await sendKeys({ press: 'Delete' });
      await el.updateComplete;
      expect(ranges(el)).to.deep.equal(['Wednesday 09:00–12:00']);
      await saveWeek(el);
      expect(fake.last('PUT', '/teacher/availability-rules')!.body).to.deep.equal({
        rules: [{ weekday: 'WEDNESDAY', startTime: '09:00', endTime: '12:00' }],
      });
    });

    it('keeps one tab stop in the grid (roving tabindex)', async () => {
      const el = await mount();
      const stops = $$(el, '[role=gridcell]').filter((c) => c.tabIndex === 0);
      expect(stops).to.have.length(1);
      // The first block of the week holds it.
      expect(stops[0]).to.equal(cell(el, 'MONDAY', '16:00'));
    });

    it('shows the API’s message when the save is refused, and keeps the changes', async () => {
      const el = await mount();
      fake.refuseRules = { status: 422, code: 'validation_error', message: 'rules.0.endTime: Time must be HH:mm' };
      $$(el, '[part~=remove-button]')[0]!.click();
      await el.updateComplete;
      $(el, '[part~=save-button]')!.click();
      await waitUntil(() => $(el, '[part~=week-message]'), 'no refusal shown');
      expect(text($(el, '[part~=week-message]'))).to.equal('rules.0.endTime: Time must be HH:mm');
      expect($(el, '[part~=week-message]')!.getAttribute('role')).to.equal('alert');
      expect(text($(el, '[part~=unsaved]'))).to.include('Unsaved changes');
    });

    it('in Arabic, right to left: ArrowLeft goes to the next day and ArrowRight back', async () => {
      const el = await mount('ar');
      expect($(el, '[part~=base]')!.getAttribute('dir')).to.equal('rtl');
      await focusCell(el, 'MONDAY', '16:00');
      await sendKeys({ press: 'ArrowLeft' });
      await el.updateComplete;
      expect(el.shadowRoot!.activeElement).to.equal(cell(el, 'TUESDAY', '16:00'));
      await sendKeys({ press: 'ArrowRight' });
      await sendKeys({ press: 'ArrowRight' });
      await el.updateComplete;
      expect(el.shadowRoot!.activeElement).to.equal(cell(el, 'SUNDAY', '16:00'));
      // Latin digits, Arabic words.
      expect(text($(el, '[part~=save-button]'))).to.equal('احفظ الأسبوع');
      expect(ranges(el)[0]).to.equal('الاثنين 16:00–18:00');
    });

    it('on a phone (≤ 480 px) shows a strip of days, then the chosen day’s column', async () => {
      await setViewport({ width: 360, height: 740 });
      const el = await mount();
      await waitUntil(() => $(el, '[part~=days]'), 'no day strip at 360 px');
      expect($$(el, '[role=columnheader]')).to.have.length(2);
      $(el, '#day-MONDAY')!.click();
      await el.updateComplete;
      expect(on(el, 'MONDAY', '16:00')).to.equal(true);
      expect(text($(el, '#day-MONDAY'))).to.include('2 hours a week');
      expect(ranges(el)).to.deep.equal(['Monday 16:00–18:00']);
      // The page scrolls, not the element: nothing inside scrolls vertically, nothing is wider than the screen.
      expect(document.documentElement.scrollWidth).to.be.at.most(360);
      const scroller = $(el, '.scroller')!;
      expect(scroller.scrollHeight).to.be.at.most(scroller.clientHeight + 2);
      await expectNoViolations(el, 'phone week');
    });
  });

  describe('time off', () => {
    async function fill(el: SmartPackTeacher, from: [string, string], to: [string, string]) {
      const set = (name: string, value: string) => {
        const input = $(el, `input[name=${name}]`) as HTMLInputElement;
        input.value = value;
        input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
      };
      set('fromDate', from[0]);
      set('fromTime', from[1]);
      set('toDate', to[0]);
      set('toTime', to[1]);
      await el.updateComplete;
    }

    it('previews the sessions a time off would flag, in the teacher’s zone, then saves it', async () => {
      const el = await mount();
      const tomorrow = plusDays(todayLocal(), 1);
      await fill(el, [tomorrow, '00:00'], [plusDays(tomorrow, 1), '00:00']);
      expect(($(el, '[part~=save-time-off-button]') as HTMLButtonElement).disabled).to.equal(true);
      $(el, '[part~=preview-button]')!.click();
      await waitUntil(() => $(el, '[part~=preview]'), 'no preview');
      // Khartoum midnight is 22:00 UTC the day before.
      expect(fake.last('POST', '/teacher/time-off/preview')!.body).to.deep.equal({
        startUtc: khartoum(tomorrow, '00:00'),
        endUtc: khartoum(plusDays(tomorrow, 1), '00:00'),
      });
      expect(text($(el, '[part~=preview]'))).to.include('This time off would flag 1 booked session:');
      expect(text($(el, '[part~=preview-session]'))).to.include('16:00');
      expect(text($(el, '[part~=preview-session]'))).to.include('Session 2');
      expect(fake.requests.some((r) => r.method === 'POST' && r.path === '/teacher/time-off')).to.equal(false);
      const changed = oneEvent(el, 'smart-pack-teacher-change');
      $(el, '[part~=save-time-off-button]')!.click();
      const event = (await changed) as CustomEvent<SmartPackTeacherChangeDetail>;
      expect(event.detail.action).to.equal('time-off-added');
      expect(fake.last('POST', '/teacher/time-off')!.body).to.deep.equal({
        startUtc: khartoum(tomorrow, '00:00'),
        endUtc: khartoum(plusDays(tomorrow, 1), '00:00'),
      });
      await waitUntil(() => $$(el, '[part~=time-off]').length === 2, 'the list did not refresh');
      expect(text($(el, '[part~=time-off-message]'))).to.equal(
        'Time off saved. 1 session was flagged for the families to move.',
      );
    });

    it('refuses a range whose end is not after its start, without calling the API', async () => {
      const el = await mount();
      const day = plusDays(todayLocal(), 5);
      await fill(el, [day, '12:00'], [day, '09:00']);
      $(el, '[part~=preview-button]')!.click();
      await el.updateComplete;
      expect(text($(el, '[part~=time-off-message]'))).to.equal('The end must be after the start.');
      expect(fake.last('POST', '/teacher/time-off/preview')).to.equal(undefined);
    });

    it('deletes a time off only after the teacher confirms', async () => {
      const el = await mount();
      $(el, '[part~=delete-button]')!.click();
      await el.updateComplete;
      expect(text($(el, '[part~=confirm]'))).to.include('Delete the time off');
      $(el, '[part~=confirm-no]')!.click();
      await el.updateComplete;
      expect(fake.last('DELETE', '/teacher/time-off/to1')).to.equal(undefined);
      expect(el.shadowRoot!.activeElement).to.equal($(el, '[part~=delete-button]'));
      $(el, '[part~=delete-button]')!.click();
      await el.updateComplete;
      $(el, '[part~=confirm-yes]')!.click();
      await waitUntil(() => $$(el, '[part~=time-off]').length === 0, 'the time off stayed');
      expect(fake.last('DELETE', '/teacher/time-off/to1')).to.exist;
      expect(text($(el, '[part~=time-off-message]'))).to.equal('Time off deleted.');
    });
  });

  describe('the schedule', () => {
    it('groups sessions by day with student, pack, status, and a flagged one’s alternatives', async () => {
      const el = await mount();
      const days = $$(el, '[part~=schedule-day]');
      expect(days).to.have.length(3);
      expect(text(days[0]!.querySelector('h3'))).to.include('1 session');
      const s2 = $(el, '[data-session-id=s2]')!;
      expect(s2.getAttribute('part')).to.include('session-flagged');
      expect(text(s2)).to.include('16:00–17:00');
      expect(text(s2)).to.include('Sara Ali');
      expect(text(s2)).to.include('8-session pack · Session 2');
      expect(text(s2)).to.include('Needs attention');
      expect(s2.querySelectorAll('[part~=alternative]')).to.have.length(2);
      expect(text(s2.querySelector('[part~=alternative]'))).to.include('10:00');
      expect(text($(el, '[data-session-id=s3]'))).to.include('Single lesson');
      // Only a session that has started can be recorded.
      expect(s2.querySelector('[part~=attendance-button]')).to.equal(null);
      expect($(el, '[data-session-id=s1]')!.querySelectorAll('[part~=attendance-button]')).to.have.length(3);
    });

    it('records attendance only after the teacher confirms, then shows the outcome on the row', async () => {
      const el = await mount();
      const row = () => $(el, '[data-session-id=s1]')!;
      row().querySelector<HTMLElement>('[data-outcome=student_no_show]')!.click();
      await el.updateComplete;
      // Under the school's default rule the teacher is paid for a student's no-show, and is told so first.
      expect(text(row().querySelector('[part~=confirm]')))
        .to.include('cannot be undone')
        .and.include('your share is released');
      expect(el.shadowRoot!.activeElement).to.equal(row().querySelector('[part~=confirm-yes]'));
      expect(fake.last('POST', '/teacher/sessions/s1/attendance')).to.equal(undefined);
      const changed = oneEvent(el, 'smart-pack-teacher-change');
      row().querySelector<HTMLElement>('[part~=confirm-yes]')!.click();
      const event = (await changed) as CustomEvent<SmartPackTeacherChangeDetail>;
      expect(event.detail.action).to.equal('attendance');
      expect(fake.last('POST', '/teacher/sessions/s1/attendance')!.body).to.deep.equal({ outcome: 'student_no_show' });
      await el.updateComplete;
      expect(text(row().querySelector('[part~=status]'))).to.equal('The student did not come');
      expect(text(row().querySelector('[part~=session-message]'))).to.equal('Recorded: The student did not come.');
      expect(row().querySelector('[part~=attendance-button]')).to.equal(null);
    });

    it('says before recording a student no-show that the school gives the family the session back', async () => {
      fake.studentNoShow = 'credit';
      const el = await mount();
      $(el, '[data-session-id=s1]')!.querySelector<HTMLElement>('[data-outcome=student_no_show]')!.click();
      await el.updateComplete;
      expect(text($(el, '[part~=confirm]'))).to.include('back as a floating credit, so nothing is released to you');
      el.remove();
      const ar = await mount('ar');
      $(ar, '[data-session-id=s1]')!.querySelector<HTMLElement>('[data-outcome=student_no_show]')!.click();
      await ar.updateComplete;
      expect(text($(ar, '[part~=confirm]'))).to.include('تمنح المدرسة الأسرة الحصة رصيداً مرناً');
    });

    it('in Arabic: the Arabic student and pack names, Arabic plurals with Latin digits', async () => {
      const el = await mount('ar');
      const s2 = $(el, '[data-session-id=s2]')!;
      expect(text(s2)).to.include('سارة علي');
      expect(text(s2)).to.include('باقة 8 حصص · الحصة 2');
      // No Arabic name given: the name as written.
      expect(text($(el, '[data-session-id=s3]'))).to.include('Omar Musa');
      expect(text($(el, '[part~=schedule-day] h3'))).to.include('حصة واحدة');
      expect(text($(el, '[part~=total]'))).to.equal('في الأسبوع: 5 ساعات');
    });
  });

  describe('Arabic plurals', () => {
    it('chooses all six categories through Intl.PluralRules', async () => {
      const { strings } = await import('../../widget/teacher-view/i18n.js');
      const t = strings('ar');
      expect([0, 1, 2, 3, 11, 100].map((n) => t.daySessions(n))).to.deep.equal([
        '0 حصة',
        'حصة واحدة',
        'حصتان',
        '3 حصص',
        '11 حصة',
        '100 حصة',
      ]);
      expect(t.wouldFlag(2)).to.equal('الحصص المحجوزة التي ستتأثر بهذه الإجازة: حصتان');
      expect(strings('en').wouldFlag(1)).to.equal('This time off would flag 1 booked session:');
    });
  });

  describe('accessibility (axe-core)', function () {
    // axe over 250 cells in four states takes seconds on a busy machine.
    this.timeout(40_000);
    for (const [lang, width] of [
      ['en-US', 1100],
      ['ar', 1100],
      ['en-US', 360],
      ['ar', 360],
    ] as const) {
      it(`has no violation in ${lang} at ${width} px: loaded, editing, previewing, confirming`, async () => {
        await setViewport({ width, height: 800 });
        const el = await mount(lang);
        await expectNoViolations(el, 'loaded');
        if (width === 360) {
          $(el, '#day-MONDAY')!.click();
          await el.updateComplete;
        }
        $$(el, '[part~=remove-button]')[0]!.click();
        await el.updateComplete;
        await expectNoViolations(el, 'unsaved');
        const day = plusDays(todayLocal(), 1);
        for (const [name, value] of [
          ['fromDate', day],
          ['fromTime', '00:00'],
          ['toDate', plusDays(day, 1)],
          ['toTime', '00:00'],
        ] as const) {
          const input = $(el, `input[name=${name}]`) as HTMLInputElement;
          input.value = value;
          input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
        }
        await el.updateComplete;
        $(el, '[part~=preview-button]')!.click();
        await waitUntil(() => $(el, '[part~=preview]'), 'no preview');
        await expectNoViolations(el, 'preview');
        $(el, '[data-session-id=s1] [data-outcome=completed]')!.click();
        await el.updateComplete;
        await expectNoViolations(el, 'confirming attendance');
      });
    }

    it('has no violation while loading or when the link is refused', async () => {
      const el = await fixture<SmartPackTeacher>(
        `<smart-pack-teacher api-base="https://api.example" token="old-token" lang="en"></smart-pack-teacher>`,
      );
      await waitUntil(() => $(el, '[part~=load-error]'), 'no error shown');
      expect(text($(el, '[part~=load-error]'))).to.include('no longer opens');
      await expectNoViolations(el, 'refused');
    });
  });
});

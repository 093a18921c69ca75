import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { initialState, Task, TaskStatus } from '@lit/task';
import type { Attendance, TeacherProfile, TeacherSession, TimeOffPreview } from '../api/contract/teacher.js';
import type { TimeOffEntry } from '../api/contract/wire.js';
import { ApiError, refusalMessage } from './api-client.js';
import { SmartPackElement } from './base-element.js';
import {
  SmartPackTeacherChangeEvent,
  type SmartPackTeacherChangeDetail,
} from './events/smart-pack-teacher-change-event.js';
import { isRtl, zonedToUtc, zoneLabel } from './format.js';
import { DayViewController } from './grid/render-days.js';
import {
  focusKey,
  type Confirm,
  type Message,
  type TeacherActions,
  type TeacherContext,
  type TimeOffForm,
} from './teacher-view/context.js';
import { strings } from './teacher-view/i18n.js';
import { renderSchedule } from './teacher-view/render-schedule.js';
import { renderTimeOff } from './teacher-view/render-time-off.js';
import { columns, renderRanges, renderWeek, type WeekContext } from './teacher-view/render-week.js';
import { createTeacherClient, type TeacherClient } from './teacher-view/teacher-client.js';
import { WeekEditor } from './teacher-view/week-editor.js';
import { weekFromRules } from './teacher-view/week.js';
import { styles } from './smart-pack-teacher.styles.js';

export type { TeacherClient, TimeOffRange } from './teacher-view/teacher-client.js';
export { createTeacherClient } from './teacher-view/teacher-client.js';

/** At this element width (CSS px) and below, the day strip and one column replace the week (as in the booking grid). */
const NARROW_PX = 480;

const EMPTY_FORM: TimeOffForm = { fromDate: '', fromTime: '', toDate: '', toTime: '', reason: '' };

/**
 * `<smart-pack-teacher>` — a teacher's own page: the weekly hours (edited on the booking grid's geometry, by
 * pointer and keyboard), time off with a preview of the sessions it would flag, and the schedule with
 * attendance to record once a session has started. Registered by `teacher.ts`; this module only defines the class.
 *
 * @tagname smart-pack-teacher
 * @summary A teacher's weekly hours, time off, schedule and attendance, under a teacher token.
 *
 * @attr lang - `ar` or `en` (any BCP 47 tag). Defaults to the nearest `lang` on the page, then the browser.
 *
 * @fires {SmartPackTeacherChangeEvent} smart-pack-teacher-change - The server accepted the teacher's week, a time off, its deletion or an attendance. Detail: `{ action, … }`.
 *
 * @csspart base - The outer wrapper.
 * @csspart editor - The weekly grid (role=grid).
 * @csspart step - One 30-minute cell; also `step-on` when in a range, `block-start`, `block-end`.
 * @csspart edge-start - The draggable top edge of a block.
 * @csspart edge-end - The draggable bottom edge of a block.
 * @csspart days - The phone view's strip of days.
 * @csspart day-chip - One day in it (`day-chip-selected`: the one shown).
 * @csspart ranges - The list of ranges.
 * @csspart range - One range, with its remove button.
 * @csspart remove-button - Removes a range.
 * @csspart unsaved - The unsaved-changes mark.
 * @csspart total - The week's teaching hours in all.
 * @csspart save-button - "Save week".
 * @csspart undo-button - Takes back the last unsaved change.
 * @csspart week-message - The outcome of the last save.
 * @csspart time-off-form - The time off form.
 * @csspart input - One of its fields (dates, times, reason).
 * @csspart preview-button - "Preview".
 * @csspart preview - What the time off would flag.
 * @csspart preview-sessions - The list of sessions it would flag.
 * @csspart preview-session - One of them.
 * @csspart time-off-message - The outcome of the last time off change.
 * @csspart save-time-off-button - "Save time off".
 * @csspart time-off-list - The time off entries.
 * @csspart time-off - One entry.
 * @csspart delete-button - Deletes a time off (asks first).
 * @csspart schedule-day - The sessions of one day.
 * @csspart session - One session.
 * @csspart session-flagged - Also on a session that needs attention (time off or an external calendar over it).
 * @csspart student - The student's name in it.
 * @csspart status - Its status and attendance.
 * @csspart alternatives - The free times a flagged session can move to.
 * @csspart session-message - The outcome of the last attendance record.
 * @csspart alternative - A free time a flagged session can move to.
 * @csspart attendance-button - "Completed", "Student no-show", "Teacher no-show" (asks first).
 * @csspart confirm - The confirmation step of an irreversible action.
 * @csspart confirm-yes - Its yes.
 * @csspart confirm-no - Its no ("Keep").
 * @csspart load-error - The page could not be loaded.
 *
 * @cssprop [--spg-accent=#0b5cad] - Accent (buttons, ranges); shared with `<smart-pack-grid>`.
 */
export class SmartPackTeacher extends SmartPackElement<TeacherClient> implements TeacherActions {
  static override styles = styles;

  /** The teacher token (sent as the bearer). */
  @property() token = '';

  @state() private _profile?: TeacherProfile;
  @state() private _timeOff: TimeOffEntry[] = [];
  @state() private _sessions: TeacherSession[] = [];
  @state() private _form: TimeOffForm = EMPTY_FORM;
  @state() private _preview: TimeOffPreview | null = null;
  @state() private _busy = false;
  @state() private _message: Message | null = null;
  @state() private _confirm: Confirm | null = null;
  @state() private _narrow = false;
  @state() private _announce = '';
  private _focusNext: string | null = null;
  private _resize?: ResizeObserver;

  private readonly _days = new DayViewController(this);
  private readonly _editor = new WeekEditor(
    this,
    () => columns({ locale: this.locale, narrow: this._narrow, view: this._days }),
    () => isRtl(this.locale),
  );

  private readonly _loadTask = new Task(this, {
    task: async ([api, token]: readonly [TeacherClient, string], { signal }) => {
      if (!token) return initialState;
      const [profile, rules, timeOff, schedule] = await Promise.all([
        api.me(signal),
        api.rules(signal),
        api.timeOff(signal),
        api.sessions({}, signal),
      ]);
      signal.throwIfAborted();
      return { profile, rules, timeOff, schedule };
    },
    args: () => [this.api(), this.token] as const,
    onComplete: ({ profile, rules, timeOff, schedule }) => {
      this._profile = profile;
      this._editor.load(weekFromRules(rules.rules));
      this._timeOff = sortTimeOff(timeOff.timeOff);
      this._sessions = schedule.sessions;
    },
  });

  protected override createClient(apiBase: string): TeacherClient {
    return createTeacherClient(apiBase, undefined, () => this.token);
  }

  protected override apiTasks() {
    return [this._loadTask];
  }

  /** Reloads everything from the API (unsaved changes to the week are dropped). */
  async reload(): Promise<void> {
    await this._loadTask.run();
    await this.updateComplete;
  }

  /** Whether the week on screen differs from the saved one. */
  get unsaved(): boolean {
    return this._editor.dirty;
  }

  // ---------------------------------------------------------------- layout

  // The element's own width, as in the booking grid: a zero-height probe is watched, so re-rendering (which
  // changes the element's height) never reports again.
  private _observe(): void {
    const probe = this.renderRoot.querySelector('.probe');
    if (!probe) return;
    this._resize ??= new ResizeObserver(([entry]) => {
      const width = entry?.contentRect.width ?? 0;
      this._narrow = width > 0 && width <= NARROW_PX;
    });
    this._resize.observe(probe);
  }

  protected override firstUpdated(): void {
    this._observe();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const style = getComputedStyle(this);
    const width = this.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    this._narrow = width > 0 && width <= NARROW_PX;
    if (this.hasUpdated) this._observe();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this._resize?.disconnect();
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const key = this._focusNext;
    if (key === null) return;
    this._focusNext = null;
    this.renderRoot.querySelector<HTMLElement>(key === 'confirm' ? '[part~=confirm-yes]' : focusKey(key))?.focus();
  }

  // ---------------------------------------------------------------- the week

  private readonly _saveWeek = async (): Promise<void> => {
    if (this._busy || !this._editor.dirty) return;
    await this._run('week', async (api, t) => {
      const saved = await api.saveRules(this._editor.rules());
      this._editor.load(weekFromRules(saved.rules));
      this._done('week', t.savedWeek);
      return { action: 'availability', rules: saved };
    });
  };

  // ---------------------------------------------------------------- time off

  editForm(field: keyof TimeOffForm, value: string): void {
    this._form = { ...this._form, [field]: value };
    // A preview speaks of the values it was asked for only.
    if (field !== 'reason') this._preview = null;
  }

  /** The form's range as UTC instants (the dates and times are the teacher's), or null when it is not one. */
  private _range(): { startUtc: string; endUtc: string } | null {
    const f = this._form;
    const zone = this._profile?.timezone;
    if (!zone || !f.fromDate || !f.fromTime || !f.toDate || !f.toTime) return null;
    const start = zonedToUtc(f.fromDate, f.fromTime, zone);
    const end = zonedToUtc(f.toDate, f.toTime, zone);
    if (!(end > start)) return null;
    return { startUtc: new Date(start).toISOString(), endUtc: new Date(end).toISOString() };
  }

  preview(): void {
    const range = this._range();
    if (!range) return this._fail('time-off', strings(this.locale).badRange);
    void this._run('time-off', async (api) => {
      this._preview = await api.previewTimeOff(range);
      this._announce = '';
      return null;
    });
  }

  saveTimeOff(): void {
    const range = this._range();
    if (!range || !this._preview) return;
    const reason = this._form.reason.trim();
    void this._run('time-off', async (api, t) => {
      const outcome = await api.addTimeOff({ ...range, ...(reason ? { reason } : {}) });
      this._form = EMPTY_FORM;
      this._preview = null;
      this._done('time-off', t.timeOffSaved(outcome.flaggedSessions.length));
      await this._refresh(api);
      return { action: 'time-off-added', timeOff: outcome };
    });
  }

  askDelete(entry: TimeOffEntry): void {
    this._ask({ kind: 'delete', timeOffId: entry.id, from: `delete-${entry.id}` });
  }

  // ---------------------------------------------------------------- attendance

  askAttendance(session: TeacherSession, outcome: Attendance): void {
    this._ask({ kind: 'attendance', sessionId: session.id, outcome, from: `${outcome}-${session.id}` });
  }

  // ---------------------------------------------------------------- confirmation

  private _ask(confirm: Confirm): void {
    if (this._busy) return;
    this._message = null;
    this._confirm = confirm;
    this._focusNext = 'confirm';
  }

  keep(): void {
    const asked = this._confirm;
    if (!asked || this._busy) return;
    this._confirm = null;
    this._focusNext = asked.from;
  }

  confirm(): void {
    const asked = this._confirm;
    if (!asked || this._busy) return;
    if (asked.kind === 'delete') {
      const id = asked.timeOffId;
      void this._run('time-off', async (api, t) => {
        await api.removeTimeOff(id);
        this._done('time-off', t.timeOffDeleted);
        await this._refresh(api);
        return { action: 'time-off-removed', timeOffId: id };
      });
    } else {
      const { sessionId, outcome } = asked;
      void this._run(
        'schedule',
        async (api, t) => {
          const answer = await api.attendance(sessionId, outcome);
          this._sessions = this._sessions.map((s) => (s.id === sessionId ? answer.session : s));
          this._done('schedule', t.recorded(t.attendance[answer.session.attendance ?? outcome]), sessionId);
          return { action: 'attendance', outcome: answer };
        },
        sessionId,
      );
    }
  }

  // ---------------------------------------------------------------- running an action

  /** After a time off changed: its list, and the sessions it flagged or freed. */
  private async _refresh(api: TeacherClient): Promise<void> {
    const [timeOff, schedule] = await Promise.all([api.timeOff(), api.sessions({})]).catch(() => [null, null]);
    if (timeOff) this._timeOff = sortTimeOff(timeOff.timeOff);
    if (schedule) this._sessions = schedule.sessions;
  }

  private _done(section: Message['section'], text: string, about?: string): void {
    this._message = { section, kind: 'ok', text, ...(about ? { about } : {}) };
    this._announce = text;
    this._focusNext = about ? `session-message-${about}` : `${section}-message`;
  }

  private _fail(section: Message['section'], text: string, about?: string): void {
    this._message = { section, kind: 'error', text, ...(about ? { about } : {}) };
    this._announce = text;
    this._focusNext = about ? `session-message-${about}` : `${section}-message`;
  }

  private async _run(
    section: Message['section'],
    act: (api: TeacherClient, t: ReturnType<typeof strings>) => Promise<SmartPackTeacherChangeDetail | null>,
    about?: string,
  ): Promise<void> {
    if (this._busy) return;
    const t = strings(this.locale);
    this._busy = true;
    this._message = null;
    try {
      const detail = await act(this.api(), t);
      this._confirm = null;
      if (detail) this.emit(new SmartPackTeacherChangeEvent(detail));
    } catch (error) {
      this._confirm = null;
      // The API's own message for a refusal (it names what is wrong); ours for a failed connection.
      this._fail(section, error instanceof ApiError ? refusalMessage(error, t.errors) : t.network, about);
    } finally {
      this._busy = false;
    }
  }

  // ---------------------------------------------------------------- rendering

  override render(): TemplateResult {
    const locale = this.locale;
    const t = strings(locale);
    const status = this._loadTask.status;
    let body: TemplateResult;
    if (this._profile) body = this._renderPage(this._profile);
    else if (status === TaskStatus.ERROR) {
      const error: unknown = this._loadTask.error;
      const refused = error instanceof ApiError && (error.status === 401 || error.status === 403);
      body = refused
        ? html`<div part="load-error" class="error" role="alert"><p>${t.linkRefused}</p></div>`
        : html`<div part="load-error" class="error" role="alert">
          <p>${t.loadError}</p>
          <button type="button" @click=${() => void this._loadTask.run()}>${t.retry}</button>
        </div>`;
    } else if (!this.token) body = html`<p part="load-error" class="muted">${t.noToken}</p>`;
    else body = html`<p class="muted">${t.loading}</p>`;
    const busy = status === TaskStatus.PENDING || this._busy;
    return html`<div class="probe"></div>
      <div part="base" class="base" dir=${isRtl(locale) ? 'rtl' : 'ltr'} lang=${locale} aria-busy=${busy ? 'true' : 'false'}>
        <div class="sr-only" role="status" aria-live="polite" aria-atomic="true">${this._announce}</div>
        ${body}
      </div>`;
  }

  private _renderPage(profile: TeacherProfile): TemplateResult {
    const locale = this.locale;
    const t = strings(locale);
    const rtl = isRtl(locale);
    const w: WeekContext = {
      t,
      locale,
      rtl,
      editor: this._editor,
      narrow: this._narrow,
      view: this._days,
      busy: this._busy,
    };
    const c: TeacherContext = {
      t,
      locale,
      zone: profile.timezone,
      studentNoShow: profile.studentNoShow,
      busy: this._busy,
      confirming: this._confirm,
      message: this._message,
      actions: this,
    };
    const dirty = this._editor.dirty;
    const weekMessage = this._message?.section === 'week' ? this._message : null;
    return html`<p part="timezone" class="tz">${t.tz(zoneLabel(locale, profile.timezone, Date.now()))}</p>
      <section class="card" aria-labelledby="week-title">
        <h2 id="week-title">${t.weekTitle}</h2>
        <p id="week-help" class="muted">${t.weekHelp}</p>
        ${renderWeek(w)}
        ${renderRanges(w)}
        <div class="actions save">
          ${dirty ? html`<p part="unsaved" class="unsaved"><span aria-hidden="true">● </span>${t.unsaved}</p>` : nothing}
          <button type="button" part="save-button" class="primary" ?disabled=${this._busy || !dirty}
            @click=${() => void this._saveWeek()}>${this._busy && dirty ? t.saving : t.saveWeek}</button>
          ${dirty ? html`<button type="button" part="undo-button" ?disabled=${this._busy} @click=${() => this._editor.undo()}>${t.undo}</button>` : nothing}
        </div>
        ${
          weekMessage
            ? html`<p part="week-message" class="message ${weekMessage.kind}" tabindex="-1" data-focus-key="week-message"
              role=${weekMessage.kind === 'error' ? 'alert' : 'status'}>${weekMessage.text}</p>`
            : nothing
        }
      </section>
      <section class="card" aria-labelledby="time-off-title">
        <h2 id="time-off-title">${t.timeOffTitle}</h2>
        ${renderTimeOff(c, { form: this._form, preview: this._preview, entries: this._timeOff })}
      </section>
      <section class="card" aria-labelledby="schedule-title">
        <h2 id="schedule-title">${t.scheduleTitle}</h2>
        ${renderSchedule(c, this._sessions, Date.now())}
      </section>`;
  }
}

const sortTimeOff = (list: TimeOffEntry[]): TimeOffEntry[] =>
  [...list].sort((a, b) => a.startUtc.localeCompare(b.startUtc));

/** The schedule: the teacher's sessions by day, with attendance to record once a session has started. */
import { html, nothing, type TemplateResult } from 'lit';
import type { Attendance, TeacherSession } from '../../api/contract/teacher.js';
import { formatClock, formatDate, instantIn, language } from '../format.js';
import { at, type TeacherContext } from './context.js';

const OUTCOMES: Attendance[] = ['completed', 'student_no_show', 'teacher_no_show'];

/** The student's name in the page's language when the school gave one, else as written. */
export const studentOf = (c: TeacherContext, s: TeacherSession): string =>
  (language(c.locale) === 'ar' && s.studentNameAr) || s.studentName || c.t.student;

export function renderSchedule(c: TeacherContext, sessions: TeacherSession[], now: number): TemplateResult {
  const { t } = c;
  if (!sessions.length) return html`<p class="muted">${t.noSessions}</p>`;
  const days = new Map<string, TeacherSession[]>();
  for (const s of sessions) {
    const date = instantIn(Date.parse(s.startUtc), c.zone).date;
    days.set(date, [...(days.get(date) ?? []), s]);
  }
  return html`${[...days].map(
    ([date, list]) => html`<section part="schedule-day" class="day" aria-labelledby="date-${date}" data-date=${date}>
      <h3 id="date-${date}">${formatDate(c.locale, date, true)} · ${t.daySessions(list.length)}</h3>
      <ol class="list">
        ${list.map((s) => renderSession(c, s, now))}
      </ol>
    </section>`,
  )}`;
}

function renderSession(c: TeacherContext, s: TeacherSession, now: number): TemplateResult {
  const { t, locale: L, actions } = c;
  const start = instantIn(Date.parse(s.startUtc), c.zone);
  const end = instantIn(Date.parse(s.endUtc), c.zone);
  const ar = language(L) === 'ar';
  const tier = (ar && s.tierNameAr) || s.tierName;
  const pack = s.packageId
    ? [tier, s.sessionNumber !== null ? t.session(s.sessionNumber) : null].filter(Boolean).join(' · ')
    : t.singleLesson;
  const flagged = s.status === 'scheduled' && s.flaggedReason !== null;
  const open = s.status === 'scheduled' && s.attendance === null && Date.parse(s.startUtc) <= now;
  const asked = c.confirming?.kind === 'attendance' && c.confirming.sessionId === s.id ? c.confirming : null;
  const message = c.message?.section === 'schedule' && c.message.about === s.id ? c.message : null;
  const who = studentOf(c, s);
  return html`<li part=${flagged ? 'session session-flagged' : 'session'} class=${flagged ? 'flagged' : ''} data-session-id=${s.id}>
    <p><strong class="when">${formatClock(L, start.time)}–${formatClock(L, end.time)}</strong> · <span part="student">${who}</span></p>
    <p class="muted">${pack}</p>
    <p part="status">
      <span class="badge">${s.attendance ? t.attendance[s.attendance] : t.status[s.status]}</span>
    </p>
    ${
      flagged
        ? html`<p class="flag">${t.flagged(s.flaggedReason)}</p>
          ${
            s.alternatives.length
              ? html`<p>${t.alternatives}</p>
                <ul part="alternatives" class="times">
                  ${s.alternatives.map((a) => html`<li part="alternative">${at(c, a)}</li>`)}
                </ul>`
              : nothing
          }`
        : nothing
    }
    ${
      asked
        ? html`<div part="confirm" class="confirm" role="group" aria-labelledby="confirm-${s.id}">
          <p id="confirm-${s.id}">${t.confirmMark[asked.outcome](who, at(c, s.startUtc), c.studentNoShow)}</p>
          <div class="actions">
            <button type="button" part="confirm-yes" class="primary" ?disabled=${c.busy} @click=${() => actions.confirm()}>${t.recordYes}</button>
            <button type="button" part="confirm-no" ?disabled=${c.busy} @click=${() => actions.keep()}>${t.keep}</button>
          </div>
        </div>`
        : open
          ? html`<div class="actions">
            ${OUTCOMES.map(
              (o) => html`<button type="button" part="attendance-button" data-outcome=${o}
                data-focus-key="${o}-${s.id}" ?disabled=${c.busy}
                @click=${() => actions.askAttendance(s, o)}>${t.mark[o]}</button>`,
            )}
          </div>`
          : nothing
    }
    ${
      message
        ? html`<p part="session-message" class="message ${message.kind}" tabindex="-1" data-focus-key="session-message-${s.id}"
          role=${message.kind === 'error' ? 'alert' : 'status'}>${message.text}</p>`
        : nothing
    }
  </li>`;
}

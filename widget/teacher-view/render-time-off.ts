/** Time off: the form (teacher-local date and time), its preview of the sessions it would flag, the list. */
import { html, nothing, type TemplateResult } from 'lit';
import type { TimeOffEntry } from '../../api/contract/wire.js';
import { at, type TeacherContext, type TimeOffForm, type TimeOffView } from './context.js';

export const timeOffText = (c: TeacherContext, e: Pick<TimeOffEntry, 'startUtc' | 'endUtc'>): string =>
  `${at(c, e.startUtc)} – ${at(c, e.endUtc)}`;

function field(c: TeacherContext, form: TimeOffForm, key: keyof TimeOffForm, type: string, label: string) {
  return html`<label class="field"
    >${label}
    <input type=${type} part="input" name=${key} .value=${form[key]} ?required=${key !== 'reason'}
      @input=${(e: Event) => c.actions.editForm(key, (e.target as HTMLInputElement).value)}
  /></label>`;
}

export function renderTimeOff(c: TeacherContext, v: TimeOffView): TemplateResult {
  const { t, actions } = c;
  const message = c.message?.section === 'time-off' ? c.message : null;
  const preview = v.preview;
  return html`<form part="time-off-form" class="card" aria-labelledby="time-off-title"
      @submit=${(e: Event) => {
        e.preventDefault();
        actions.preview();
      }}>
      <fieldset>
        <legend>${t.from}</legend>
        ${field(c, v.form, 'fromDate', 'date', t.date)} ${field(c, v.form, 'fromTime', 'time', t.time)}
      </fieldset>
      <fieldset>
        <legend>${t.to}</legend>
        ${field(c, v.form, 'toDate', 'date', t.date)} ${field(c, v.form, 'toTime', 'time', t.time)}
      </fieldset>
      ${field(c, v.form, 'reason', 'text', t.reason)}
      <div class="actions">
        <button type="submit" part="preview-button" ?disabled=${c.busy}>${t.preview}</button>
        <button type="button" part="save-time-off-button" class="primary" ?disabled=${c.busy || !preview}
          aria-describedby=${preview ? nothing : 'preview-first'} @click=${() => actions.saveTimeOff()}>${t.saveTimeOff}</button>
      </div>
      ${preview ? nothing : html`<p id="preview-first" class="muted">${t.previewFirst}</p>`}
      ${
        preview
          ? html`<div part="preview" class="preview" role="status">
            <p>${preview.flaggedSessions.length ? t.wouldFlag(preview.flaggedSessions.length) : t.noneFlagged}</p>
            ${
              preview.flaggedSessions.length
                ? html`<ul part="preview-sessions">
                  ${preview.flaggedSessions.map(
                    (s) =>
                      html`<li part="preview-session" data-session-id=${s.id}>${at(c, s.startUtc)}${
                        s.sessionNumber !== null ? html` · ${t.session(s.sessionNumber)}` : nothing
                      }</li>`,
                  )}
                </ul>`
                : nothing
            }
          </div>`
          : nothing
      }
      ${
        message
          ? html`<p part="time-off-message" class="message ${message.kind}" tabindex="-1" data-focus-key="time-off-message"
            role=${message.kind === 'error' ? 'alert' : 'status'}>${message.text}</p>`
          : nothing
      }
    </form>
    <h3 id="time-off-list-title">${t.timeOffList}</h3>
    ${
      v.entries.length
        ? html`<ul part="time-off-list" class="list" aria-labelledby="time-off-list-title">
          ${v.entries.map((e) => renderEntry(c, e))}
        </ul>`
        : html`<p class="muted">${t.noTimeOff}</p>`
    }`;
}

function renderEntry(c: TeacherContext, e: TimeOffEntry): TemplateResult {
  const { t, actions } = c;
  const asked = c.confirming?.kind === 'delete' && c.confirming.timeOffId === e.id;
  const text = timeOffText(c, e);
  return html`<li part="time-off" data-time-off-id=${e.id}>
    <span>${text}${e.reason ? html` · <i>${e.reason}</i>` : nothing}</span>
    ${
      asked
        ? html`<div part="confirm" class="confirm" role="group" aria-labelledby="confirm-text">
          <p id="confirm-text">${t.confirmDelete(text)}</p>
          <div class="actions">
            <button type="button" part="confirm-yes" class="danger" ?disabled=${c.busy} @click=${() => actions.confirm()}>${t.deleteYes}</button>
            <button type="button" part="confirm-no" ?disabled=${c.busy} @click=${() => actions.keep()}>${t.keep}</button>
          </div>
        </div>`
        : html`<button type="button" part="delete-button" class="danger" data-focus-key="delete-${e.id}"
          aria-label=${t.deleteTimeOff(text)} ?disabled=${c.busy} @click=${() => actions.askDelete(e)}>${t.delete}</button>`
    }
  </li>`;
}

import { html, type TemplateResult } from 'lit';
import type { PackageContext } from './context.js';

/**
 * The confirmation step of an irreversible action, in place of the control that asked: the question
 * and two answers. The element moves the focus to the yes when it appears and back to the asking control
 * on "keep"; Escape keeps. A labelled group, so a screen reader reads the question with the focused answer.
 */
export function renderConfirm(c: PackageContext, question: string, yes: string, no: string): TemplateResult {
  const { actions } = c;
  return html`<div part="confirm" class="confirm" role="group" aria-labelledby="confirm-question"
    @keydown=${(e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        actions.keep();
      }
    }}>
    <p id="confirm-question">${question}</p>
    <div class="actions">
      <button part="confirm-yes" class="primary" type="button" ?disabled=${c.busy} @click=${() => actions.confirm()}>${yes}</button>
      <button part="confirm-no" type="button" ?disabled=${c.busy} @click=${() => actions.keep()}>${no}</button>
    </div>
  </div>`;
}

import { html, nothing, type TemplateResult } from 'lit';
import type { Strings } from './i18n.js';

/** Placeholder while the tiers and the grid load. */
export function renderSkeleton(t: Strings): TemplateResult {
  return html`<div part="skeleton" class="skeleton">
    <p class="sr-only">${t.loading}</p>
    <div class="bone wide" aria-hidden="true"></div>
    <div class="bone" aria-hidden="true"></div>
    <div class="bone cells" aria-hidden="true"></div>
  </div>`;
}

/**
 * The tiers or the grid could not be loaded. `message` says what is wrong; without `retry` (an unknown
 * teacher or pack, which no retry can fix) no button is offered.
 */
export function renderLoadError(t: Strings, message: string, retry?: () => void): TemplateResult {
  return html`<div part="error" class="error" role="alert">
    <p><span aria-hidden="true">⚠ </span>${message}</p>
    ${retry ? html`<button part="retry-button" type="button" @click=${retry}>${t.retry}</button>` : nothing}
  </div>`;
}

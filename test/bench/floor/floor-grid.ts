/**
 * The floor the widget's first paint is measured against (`npm run bench`): the least a Lit element can
 * do to show a week — one fetch of one JSON answer, then a 7 × 8 table. Built and served by the bench only.
 */
import { LitElement, html } from 'lit';

const DAYS = 7;
const ROWS = 8;

class FloorGrid extends LitElement {
  static override properties = { answer: { state: true } };
  declare answer: unknown;

  override connectedCallback() {
    super.connectedCallback();
    void fetch(this.getAttribute('src') ?? '')
      .then((response) => response.json())
      .then((answer: unknown) => (this.answer = answer));
  }

  override render() {
    if (this.answer === undefined) return html`<p>Loading…</p>`;
    const text = JSON.stringify(this.answer);
    return html`<table role="grid">
      ${Array.from(
        { length: ROWS },
        (_, row) =>
          html`<tr>
            ${Array.from({ length: DAYS }, (_, day) => html`<td role="gridcell">${text.charCodeAt(row * DAYS + day)}</td>`)}
          </tr>`,
      )}
    </table>`;
  }
}

customElements.define('floor-grid', FloorGrid);

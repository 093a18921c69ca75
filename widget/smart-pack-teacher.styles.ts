import { css } from 'lit';

// Same custom properties as <smart-pack-grid>, so one theme styles every element. Logical properties keep
// one sheet right in LTR and RTL; every state has text (or a mark), not only a colour.
export const styles = css`
  :host {
    display: block;
    container-type: inline-size;
    font-family: var(--spg-font, system-ui, -apple-system, 'Segoe UI', 'Noto Sans Arabic', sans-serif);
    color: var(--spg-fg, #1f2328);
    background: var(--spg-bg, #ffffff);
    line-height: 1.45;
    --a: var(--spg-accent, #0b5cad);
    --m: var(--spg-muted, #57606a);
    --bd: var(--spg-border, #d0d7de);
    --r: var(--spg-radius, 8px);
    --w: var(--spg-partial, #7a4d00);
    --d: var(--spg-danger, #b3261e);
    --step: var(--spg-step, 1.75rem);
  }
  :host([hidden]) {
    display: none;
  }
  * {
    box-sizing: border-box;
  }
  .probe {
    block-size: 0;
  }
  .base,
  .card,
  form,
  .day,
  .hours {
    display: grid;
    gap: 0.75rem;
    min-inline-size: 0;
  }
  .base > *,
  .card > * {
    min-inline-size: 0;
  }
  .card {
    border: 1px solid var(--bd);
    border-radius: var(--r);
    padding: 0.9rem 1rem;
  }
  form.card {
    border: 0;
    padding: 0;
  }
  h2,
  h3,
  h4,
  p,
  ul,
  ol,
  fieldset {
    margin: 0;
    padding: 0;
    font-size: 1rem;
  }
  h2 {
    font-size: 1.15rem;
  }
  ul,
  ol {
    list-style: none;
  }
  fieldset {
    border: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
  }
  legend {
    font-weight: 600;
    padding: 0;
    margin-block-end: 0.25rem;
  }
  .field {
    display: grid;
    gap: 0.2rem;
    font-size: 0.9rem;
  }
  input {
    font: inherit;
    min-block-size: 2.75rem;
    padding-inline: 0.5rem;
    border: 1px solid var(--bd);
    border-radius: var(--r);
    background: var(--spg-bg, #ffffff);
    color: inherit;
    max-inline-size: 100%;
  }
  .sr-only {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .muted,
  .tz {
    color: var(--m);
  }
  button {
    font: inherit;
    min-block-size: 2.75rem;
    padding: 0.4rem 0.9rem;
    border-radius: var(--r);
    border: 1px solid var(--a);
    background: var(--spg-bg, #ffffff);
    color: var(--a);
    cursor: pointer;
  }
  button:disabled {
    cursor: not-allowed;
    border-color: var(--bd);
    color: var(--m);
  }
  .primary:not(:disabled) {
    background: var(--a);
    color: var(--spg-accent-fg, #ffffff);
  }
  .danger:not(:disabled) {
    border-color: var(--d);
    color: var(--d);
  }
  :focus-visible {
    outline: 3px solid var(--spg-focus, #c2410c);
    outline-offset: 2px;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  .unsaved {
    font-weight: 600;
    color: var(--w);
  }
  .error,
  .message.error {
    color: var(--d);
  }
  .message.ok {
    font-weight: 600;
  }
  /* The grid grows with the page (no inner vertical scroll to get trapped in); only a wide week scrolls sideways. */
  .scroller {
    position: relative;
    overflow-x: auto;
    max-inline-size: 100%;
    border: 1px solid var(--bd);
    border-radius: var(--r);
  }
  .grid {
    display: grid;
    min-inline-size: max-content;
    inline-size: 100%;
    user-select: none;
  }
  .row {
    display: grid;
    grid-template-columns: 4rem repeat(var(--cols), minmax(2.75rem, 1fr));
  }
  .row:not(.half) {
    border-block-start: 1px solid var(--bd);
  }
  [role='columnheader'],
  .rowhead {
    display: grid;
    place-items: center;
    padding: 0 0.25rem;
    font-weight: 600;
    font-size: 0.85rem;
    background: var(--spg-bg, #ffffff);
  }
  [role='columnheader'] abbr {
    text-decoration: none;
  }
  .half .rowhead {
    font-weight: 400;
    color: var(--m);
  }
  .corner,
  .rowhead {
    position: sticky;
    inset-inline-start: 0;
    z-index: 1;
    border-inline-end: 1px solid var(--bd);
  }
  .cell {
    position: relative;
    min-block-size: var(--step);
    margin-inline: 2px;
    cursor: cell;
    touch-action: pan-y;
  }
  .cell.on {
    background: var(--a);
    color: var(--spg-accent-fg, #ffffff);
  }
  .cell.first {
    border-start-start-radius: var(--r);
    border-start-end-radius: var(--r);
    margin-block-start: 1px;
  }
  .cell.last {
    border-end-start-radius: var(--r);
    border-end-end-radius: var(--r);
    margin-block-end: 1px;
  }
  .cell:not(.on):hover {
    background: var(--spg-hover, #eef4fb);
  }
  .cell:focus-visible {
    outline-offset: -3px;
    z-index: 2;
  }
  .label {
    position: absolute;
    inset-inline-start: 0.3rem;
    inset-block-start: 0.25rem;
    font-size: 0.75rem;
    font-weight: 600;
    white-space: nowrap;
    pointer-events: none;
    z-index: 1;
  }
  /* The edges a pointer drags: a finger there resizes instead of scrolling. */
  .edge {
    position: absolute;
    inset-inline: 0;
    block-size: 0.6rem;
    cursor: ns-resize;
    touch-action: none;
  }
  .edge.start {
    inset-block-start: 0;
    border-block-start: 3px solid var(--spg-accent-fg, #ffffff);
  }
  .edge.end {
    inset-block-end: 0;
    border-block-end: 3px solid var(--spg-accent-fg, #ffffff);
  }
  .ranges,
  .list {
    display: grid;
    gap: 0.4rem;
  }
  .ranges li,
  .list > li {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.4rem 0.75rem;
    border: 1px solid var(--bd);
    border-radius: var(--r);
    padding: 0.4rem 0.75rem;
  }
  .list > li {
    display: grid;
    justify-content: stretch;
  }
  .flagged {
    border-color: var(--w);
    background: var(--spg-partial-bg, #fff4d6);
  }
  .flag {
    font-weight: 600;
    color: var(--w);
  }
  .times {
    display: flex;
    flex-wrap: wrap;
    gap: 0.3rem 0.9rem;
  }
  .badge {
    font-size: 0.85rem;
    padding-inline: 0.5rem;
    border-radius: 1rem;
    border: 1px solid;
  }
  .confirm {
    display: grid;
    gap: 0.5rem;
    border: 2px solid var(--a);
    border-radius: var(--r);
    padding: 0.75rem;
  }
  .confirm p {
    font-weight: 600;
  }
  .preview {
    display: grid;
    gap: 0.3rem;
  }
  /* The phone view: a strip of days that wraps, then the day's column. */
  .days {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(4.5rem, 1fr));
    gap: 0.35rem;
  }
  .chip {
    display: grid;
    justify-items: center;
    padding: 0.25rem;
    line-height: 1.2;
    border-color: var(--bd);
    color: var(--spg-fg, #1f2328);
  }
  .chip .wd {
    font-weight: 600;
  }
  .chip .cnt {
    font-size: 0.75rem;
  }
  .chip.current {
    border: 2px solid var(--a);
    background: var(--a);
    color: var(--spg-accent-fg, #ffffff);
  }
  @container (max-width: 480px) {
    .card {
      padding: 0.7rem;
    }
    .row {
      grid-template-columns: 3.5rem 1fr;
    }
  }
`;

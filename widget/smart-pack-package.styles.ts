import { css } from 'lit';

// Same custom properties as <smart-pack-grid>, so one theme styles both elements. Logical
// properties keep the sheet right in LTR and RTL; every state has text, not only a colour.
export const styles = css`
  :host {
    display: block;
    font-family: var(--spg-font, system-ui, sans-serif);
    color: var(--spg-fg, #1f2328);
    background: var(--spg-bg, #fff);
    line-height: 1.45;
    --a: var(--spg-accent, #0b5cad);
    --b: 1px solid var(--spg-border, #d0d7de);
    --r: var(--spg-radius, 8px);
    --w: var(--spg-partial, #7a4d00);
  }
  :host([hidden]) {
    display: none;
  }
  .base,
  .sessions,
  .days,
  section,
  li,
  .picker {
    display: grid;
    gap: 0.6rem;
  }
  h2,
  h3,
  h4,
  p,
  ol {
    margin: 0;
    padding: 0;
    font-size: 1rem;
  }
  h2 {
    font-size: 1.15rem;
  }
  ol {
    list-style: none;
  }
  .sr-only {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
  }
  .muted {
    color: var(--spg-muted, #57606a);
  }
  button,
  a {
    font: inherit;
    min-block-size: 2.75rem;
    padding: 0.4rem 0.9rem;
    border-radius: var(--r);
    border: 1px solid var(--a);
    background: none;
    color: var(--a);
    cursor: pointer;
    display: inline-flex;
    align-items: center;
    text-decoration: none;
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  .primary {
    background: var(--a);
    color: var(--spg-accent-fg, #fff);
  }
  :focus-visible {
    outline: 3px solid var(--spg-focus, #c2410c);
    outline-offset: 2px;
  }
  .summary,
  .picker,
  li {
    border: var(--b);
    border-radius: var(--r);
    padding: 0.75rem 1rem;
  }
  .flagged {
    border-color: var(--w);
    background: var(--spg-partial-bg, #fff4d6);
  }
  .flag,
  .state,
  .when {
    font-weight: 600;
  }
  .flag {
    color: var(--w);
  }
  .cancelled .when {
    text-decoration: line-through;
  }
  /* One box, not a line of text: a long badge (a credited no-show) wraps inside its pill on a phone. */
  .badge {
    display: inline-block;
    max-inline-size: 100%;
    font-size: 0.85rem;
    padding-inline: 0.4rem;
    border-radius: 1rem;
    border: 1px solid;
    margin-inline-start: 0.4rem;
  }
  .actions,
  .times {
    display: flex;
    flex-wrap: wrap;
    gap: 0.4rem;
  }
  .error {
    color: var(--spg-danger, #b3261e);
  }
  .danger {
    border-color: var(--spg-danger, #b3261e);
    color: var(--spg-danger, #b3261e);
  }
  .confirm {
    display: grid;
    gap: 0.5rem;
    border: 2px solid var(--a);
    border-radius: var(--r);
    padding: 0.75rem;
  }
  .confirm p,
  .teacher {
    font-weight: 600;
  }
`;

import { css } from 'lit';

// Logical properties (inline-start, padding-inline) keep one stylesheet correct in LTR and RTL.
// Colours meet WCAG AA on the default background; every state also has an icon or text, so
// nothing depends on colour alone.
export const styles = css`
  :host {
    display: block;
    container-type: inline-size;
    font-family: var(--spg-font, system-ui, -apple-system, 'Segoe UI', 'Noto Sans Arabic', sans-serif);
    color: var(--spg-fg, #1f2328);
    background: var(--spg-bg, #ffffff);
    line-height: 1.45;
    --_accent: var(--spg-accent, #0b5cad);
    --_muted: var(--spg-muted, #57606a);
    --_border: var(--spg-border, #d0d7de);
    --_danger: var(--spg-danger, #b3261e);
    --_radius: var(--spg-radius, 8px);
    --_cell: var(--spg-cell, 2.75rem);
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
  .base {
    position: relative;
    display: grid;
    gap: 1rem;
    max-inline-size: 100%;
  }
  h2,
  h3,
  h4,
  p {
    margin: 0;
  }
  h2 {
    font-size: 1.15rem;
  }
  h3 {
    font-size: 1rem;
  }
  h4 {
    font-size: 0.95rem;
  }
  .sr-only {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  button {
    font: inherit;
    min-block-size: 2.75rem;
    padding: 0.4rem 0.9rem;
    border-radius: var(--_radius);
    border: 1px solid var(--_accent);
    background: var(--spg-bg, #ffffff);
    color: var(--_accent);
    cursor: pointer;
  }
  button:disabled {
    cursor: not-allowed;
    border-color: var(--_border);
    color: var(--_muted);
  }
  :focus-visible {
    outline: 3px solid var(--spg-focus, #c2410c);
    outline-offset: 2px;
  }
  .pack,
  .summary,
  .conflicts,
  .sessions,
  .floating,
  .confirmation,
  .review,
  .hold,
  .error,
  .empty-state {
    display: grid;
    gap: 0.5rem;
    padding: 0.9rem 1rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  .price {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 0.75rem;
    align-items: baseline;
  }
  .price strong {
    font-size: 1.15rem;
  }
  .price s,
  .hint,
  .tz,
  .legend,
  .viewer {
    color: var(--_muted);
  }
  /* The zone line is as small as the symbol legend and the viewer's times (italic in both): every size,
     weight and style on the first screen is a font strike its first layout fetches (README, "first paint"). */
  .tz {
    font-size: 0.8rem;
  }
  .savings {
    font-weight: 700;
    color: #1a7f37;
  }
  .tiers {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr));
    gap: 0.5rem;
    border: 0;
    padding: 0;
    margin: 0;
  }
  .tiers legend {
    font-weight: 700;
    margin-block-end: 0.25rem;
  }
  .tier {
    display: grid;
    grid-template-columns: auto 1fr;
    gap: 0.1rem 0.5rem;
    padding: 0.6rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    cursor: pointer;
  }
  .tier > :not(input) {
    grid-column: 2;
  }
  .tier:has(:checked) {
    border: 2px solid var(--_accent);
  }
  .tier-name {
    font-weight: 700;
  }
  .pick {
    display: grid;
    gap: 0.75rem;
  }
  /* The grid scrolls inside itself on a narrow phone instead of widening the host page. */
  .scroller {
    /* Also the containing block of the visually hidden labels, which would otherwise escape the
       clipping and widen the page (to the left in RTL). */
    position: relative;
    overflow-x: auto;
    max-inline-size: 100%;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
  }
  /* A definite minimum (row head + columns + their margins), not max-content: measuring a grid of grids
     for its max-content lays every row and cell out again, which was most of the first paint's layout. */
  .grid {
    --_head: 4.25rem;
    display: grid;
    min-inline-size: calc(var(--_head) + var(--cols) * (var(--_cell) + 4px));
    inline-size: 100%;
  }
  .row {
    display: grid;
    grid-template-columns: var(--_head) repeat(var(--cols), minmax(var(--_cell), 1fr));
  }
  .row + .row {
    border-block-start: 1px solid var(--_border);
  }
  [role='columnheader'],
  .rowhead {
    display: grid;
    place-items: center;
    padding: 0.35rem 0.25rem;
    font-weight: 700;
    font-size: 0.9rem;
    background: var(--spg-bg, #ffffff);
  }
  [role='columnheader'] abbr {
    text-decoration: none;
  }
  .corner,
  .rowhead {
    position: sticky;
    inset-inline-start: 0;
    z-index: 1;
    border-inline-end: 1px solid var(--_border);
  }
  .rowhead .viewer {
    font-weight: 400;
    font-size: 0.8rem;
  }
  .cell {
    display: grid;
    place-items: center;
    align-content: center;
    min-block-size: var(--_cell);
    margin: 2px;
    border-radius: calc(var(--_radius) - 2px);
    font-size: 0.8rem;
    user-select: none;
  }
  /* The slot symbols (renderIcon): ○ free, ◐ partial, ● chosen, ✕ taken, drawn in the text's colour.
     Sizes are in rem and no font-size is set, so they add no font to the first layout. They keep their
     gradients in forced colours (which would drop them), painted in the forced text colour they inherit. */
  .icon {
    display: inline-block;
    inline-size: 0.8rem;
    block-size: 0.8rem;
    box-sizing: border-box;
    border: 0.125rem solid currentColor;
    border-radius: 50%;
    vertical-align: -0.05rem;
    forced-color-adjust: none;
  }
  .cell .icon {
    inline-size: 1rem;
    block-size: 1rem;
  }
  .icon-partial {
    background: linear-gradient(90deg, currentColor 50%, transparent 50%);
  }
  .icon-selected {
    background: currentColor;
  }
  .icon-unavailable {
    border: 0;
    border-radius: 0;
    background:
      linear-gradient(45deg, transparent 42%, currentColor 42% 58%, transparent 58%),
      linear-gradient(-45deg, transparent 42%, currentColor 42% 58%, transparent 58%);
  }
  .free,
  .partial {
    cursor: pointer;
    border: 2px solid var(--_accent);
    color: var(--_accent);
  }
  .partial {
    border-style: dashed;
    border-color: var(--spg-partial, #7a4d00);
    color: var(--spg-partial, #7a4d00);
    background: repeating-linear-gradient(
      -45deg,
      var(--spg-partial-bg, #fff4d6) 0 6px,
      var(--spg-bg, #ffffff) 6px 10px
    );
  }
  .unavailable {
    color: var(--_muted);
    border: 1px dotted var(--_border);
    text-decoration: line-through;
  }
  .cell.selected {
    border: 2px solid var(--_accent);
    background: var(--_accent);
    color: var(--spg-accent-fg, #ffffff);
  }
  @media (hover: hover) {
    .free:hover,
    .partial:hover {
      box-shadow: inset 0 0 0 2px var(--_accent);
    }
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem 1rem;
    font-size: 0.8rem;
  }
  .notice,
  .problem {
    color: var(--_danger);
    font-weight: 700;
  }
  .problem button {
    margin-inline-start: 0.5rem;
  }
  .checking {
    color: var(--_muted);
    display: flex;
    gap: 0.5rem;
    align-items: center;
  }
  .spinner {
    inline-size: 1em;
    block-size: 1em;
    border: 2px solid var(--_border);
    border-block-start-color: var(--_accent);
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(1turn);
    }
  }
  .conflicts {
    border-color: var(--_danger);
  }
  .conflicts ul,
  .sessions ol,
  .confirmation ol {
    margin: 0;
    padding-inline-start: 0;
    list-style: none;
    display: grid;
    gap: 0.4rem;
  }
  .pattern-conflicts {
    display: grid;
    gap: 0.4rem;
  }
  .choices {
    display: flex;
    flex-wrap: wrap;
    gap: 0.35rem;
    align-items: center;
    margin-block-start: 0.25rem;
  }
  .alt {
    font-size: 0.85rem;
    min-block-size: 2.25rem;
    padding: 0.2rem 0.6rem;
  }
  .alt[aria-pressed='true'] {
    background: var(--_accent);
    color: var(--spg-accent-fg, #ffffff);
  }
  .sessions ol,
  .confirmation ol {
    grid-template-columns: repeat(auto-fill, minmax(13rem, 1fr));
  }
  .session {
    display: grid;
    padding: 0.35rem 0.6rem;
    border: 1px solid var(--_border);
    border-radius: calc(var(--_radius) - 2px);
  }
  .session .num {
    font-weight: 700;
  }
  .badge {
    font-size: 0.8rem;
  }
  .floating {
    border-style: dashed;
  }
  .purchase {
    display: grid;
    gap: 0.5rem;
  }
  .children {
    border: 0;
    margin: 0;
    padding: 0;
  }
  .children legend {
    font-weight: 700;
    padding: 0;
  }
  .children label {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    min-height: var(--spg-cell, 2.75rem);
  }
  .buy {
    background: var(--_accent);
    color: var(--spg-accent-fg, #ffffff);
    font-weight: 700;
    font-size: 1.05rem;
    padding-block: 0.6rem;
  }
  .buy:disabled {
    background: #eaeef2;
    color: var(--_muted);
  }
  .confirmation {
    border: 2px solid #1a7f37;
  }
  .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .hold {
    border: 2px solid var(--_accent);
  }
  .countdown strong {
    font-size: 1.5rem;
  }
  .error {
    border-color: var(--_danger);
    justify-items: start;
  }
  /* The loading placeholder: four boxes, the grid's drawn as one (a box per slot was 24 elements to build,
     style and throw away on every first paint). It shows only after 150 ms, so an answer faster than that
     never flashes it (its space is kept from the start); it pulses in opacity, which the compositor runs,
     so waiting paints nothing on the page's main thread. */
  .skeleton {
    display: grid;
    gap: 0.75rem;
    animation: reveal 0s 150ms both;
  }
  .bone {
    block-size: 1.2rem;
    inline-size: 60%;
    border-radius: var(--_radius);
    background: #eaeef2;
    animation: pulse 1.2s ease-in-out infinite;
  }
  .bone.wide {
    inline-size: 85%;
    block-size: 2rem;
  }
  .bone.cells {
    --_gap: 4px;
    inline-size: auto;
    block-size: calc(4 * var(--_cell) + 3 * var(--_gap));
    border-radius: 0;
    background:
      repeating-linear-gradient(
        90deg,
        transparent 0 calc((100% + var(--_gap)) / 6 - var(--_gap)),
        var(--spg-bg, #ffffff) 0 calc((100% + var(--_gap)) / 6)
      ),
      repeating-linear-gradient(
        180deg,
        #eaeef2 0 var(--_cell),
        var(--spg-bg, #ffffff) 0 calc(var(--_cell) + var(--_gap))
      );
  }
  @keyframes reveal {
    from {
      visibility: hidden;
    }
  }
  @keyframes pulse {
    50% {
      opacity: 0.45;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .bone,
    .spinner {
      animation: none;
    }
  }
  .shift {
    font-style: normal;
    font-size: 0.75rem;
    font-weight: 700;
    padding-inline: 0.25rem;
    border-radius: 999px;
    background: var(--spg-partial-bg, #fff4d6);
    color: var(--spg-partial, #7a4d00);
    white-space: nowrap;
  }
  /* The day view (element ≤ 480 px): a strip of day chips that wraps instead of scrolling sideways. */
  .dayview {
    display: grid;
    gap: 0.6rem;
  }
  .days {
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(3.9rem, 1fr));
    gap: 0.35rem;
  }
  .chip {
    display: grid;
    justify-items: center;
    gap: 0;
    padding: 0.25rem;
    line-height: 1.2;
    border-color: var(--_border);
    color: var(--spg-fg, #1f2328);
  }
  .chip .wd {
    font-weight: 700;
    font-size: 0.9rem;
  }
  .chip .dt,
  .chip .cnt {
    font-size: 0.8rem;
  }
  .chip .cnt {
    color: var(--_accent);
  }
  .chip.none .cnt {
    color: var(--_muted);
  }
  .chip.current {
    border: 2px solid var(--_accent);
    background: var(--_accent);
    color: var(--spg-accent-fg, #ffffff);
  }
  .chip.current .cnt {
    color: inherit;
  }
  .dayslots {
    display: grid;
    gap: 0.4rem;
  }
  .opt {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.25rem 0.6rem;
    min-block-size: var(--_cell);
    padding: 0.4rem 0.75rem;
    border-radius: var(--_radius);
    user-select: none;
  }
  .opt .state {
    margin-inline-start: auto;
    font-size: 0.85rem;
  }
  .opt.selected {
    border: 2px solid var(--_accent);
    background: var(--_accent);
    color: var(--spg-accent-fg, #ffffff);
  }
  .opt.selected .viewer,
  .opt.selected .shift {
    color: inherit;
    background: none;
  }
  .tier-pick {
    display: grid;
    gap: 0.2rem;
    font-weight: 700;
  }
  .tier-pick select {
    inline-size: 100%;
    min-inline-size: 0;
    font: inherit;
    min-block-size: 2.75rem;
    padding-inline: 0.5rem;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--spg-bg, #ffffff);
    color: inherit;
  }
  /* Grid items default to their content's width: a long option in the pack select would widen the page. */
  .base > *,
  .pack > *,
  .pick > * {
    min-inline-size: 0;
  }
  .pack.compact {
    gap: 0.3rem;
    padding: 0.6rem 0.7rem;
  }
  .pack.compact .price strong {
    font-size: 1.05rem;
  }
  @container (max-width: 480px) {
    .base {
      gap: 0.6rem;
    }
    .pick {
      gap: 0.5rem;
    }
  }
  @container (max-width: 420px) {
    .pack,
    .summary,
    .conflicts,
    .sessions,
    .floating,
    .confirmation {
      padding: 0.7rem;
    }
    .grid {
      --_head: 3.5rem;
    }
  }
`;

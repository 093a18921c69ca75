/**
 * WAI-ARIA grid keyboard model as a reactive controller: one roving tab stop, arrow keys
 * (mirrored in RTL so "right" is always the visual right), Home/End within a row,
 * Ctrl+Home/End for the whole grid, Space/Enter to activate.
 *
 * The controller knows nothing about slots: the host describes the grid through `GridModel`.
 * Cells that are not navigable (not offered) are skipped, so the next arrow press always lands
 * on something the parent can act on or learn about.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface GridModel {
  rows: number;
  cols: number;
  navigable(row: number, col: number): boolean;
  /** Where the tab stop starts when there is none yet (e.g. the first selected cell). */
  preferred?(): [number, number] | undefined;
  rtl: boolean;
  activate(row: number, col: number): void;
}

type Host = ReactiveControllerHost & HTMLElement & { renderRoot: HTMLElement | DocumentFragment };

export class GridKeyboardController implements ReactiveController {
  row = -1;
  col = -1;

  constructor(
    private readonly host: Host,
    private readonly model: () => GridModel | undefined,
  ) {
    host.addController(this);
  }

  hostUpdate(): void {
    const m = this.model();
    if (!m) return;
    if (this.row >= 0 && this.row < m.rows && this.col < m.cols && m.navigable(this.row, this.col)) return;
    const start = m.preferred?.() ?? this.scan(m, 0, 0, 1);
    [this.row, this.col] = start ?? [-1, -1];
  }

  tabIndex(row: number, col: number): 0 | -1 {
    return row === this.row && col === this.col ? 0 : -1;
  }

  /** Clicking a cell moves the tab stop there, so Tab back into the grid returns to it. */
  setActive(row: number, col: number): void {
    this.row = row;
    this.col = col;
    this.host.requestUpdate();
  }

  /** One listener on the grid for every cell's click: 56 listeners of their own cost the first paint ~1 ms each time. */
  /** The offered cell an event came from, as [row, col]; undefined for an empty cell or outside the grid. */
  private cellOf(e: Event): [number, number] | undefined {
    const cell = (e.target as HTMLElement).closest?.('[data-r]') as HTMLElement | null;
    return cell ? [Number(cell.dataset.r), Number(cell.dataset.c)] : undefined;
  }

  readonly onClick = (e: MouseEvent): void => {
    const m = this.model();
    const at = this.cellOf(e);
    if (!m || !at) return;
    this.setActive(...at);
    m.activate(...at);
  };

  readonly onKeydown = (e: KeyboardEvent): void => {
    const m = this.model();
    const at = this.cellOf(e);
    if (!m || !at || e.altKey || e.metaKey) return;
    const [r, c] = at;
    const ahead = m.rtl ? -1 : 1;
    let next: [number, number] | undefined;
    switch (e.key) {
      case 'ArrowRight':
        next = this.along(m, r, c, 0, ahead);
        break;
      case 'ArrowLeft':
        next = this.along(m, r, c, 0, -ahead);
        break;
      case 'ArrowDown':
        next = this.along(m, r, c, 1, 0);
        break;
      case 'ArrowUp':
        next = this.along(m, r, c, -1, 0);
        break;
      case 'Home':
        next = e.ctrlKey ? this.scan(m, 0, 0, 1) : this.along(m, r, -1, 0, 1);
        break;
      case 'End':
        next = e.ctrlKey ? this.scan(m, m.rows - 1, m.cols - 1, -1) : this.along(m, r, m.cols, 0, -1);
        break;
      case ' ':
      case 'Enter':
        e.preventDefault();
        this.setActive(r, c);
        m.activate(r, c);
        return;
      default:
        return;
    }
    e.preventDefault();
    if (next) this.focus(next[0], next[1]);
  };

  async focus(row: number, col: number): Promise<void> {
    this.setActive(row, col);
    await this.host.updateComplete;
    (this.host.renderRoot as ParentNode).querySelector<HTMLElement>(`[data-r="${row}"][data-c="${col}"]`)?.focus();
  }

  private along(m: GridModel, r: number, c: number, dr: number, dc: number): [number, number] | undefined {
    for (let i = r + dr, j = c + dc; i >= 0 && i < m.rows && j >= 0 && j < m.cols; i += dr, j += dc) {
      if (m.navigable(i, j)) return [i, j];
    }
    return undefined;
  }

  /** Row-major scan from (r, c) in direction `step` (1 forwards, -1 backwards). */
  private scan(m: GridModel, r: number, c: number, step: 1 | -1): [number, number] | undefined {
    for (let k = r * m.cols + c; k >= 0 && k < m.rows * m.cols; k += step) {
      const i = Math.floor(k / m.cols);
      const j = k % m.cols;
      if (m.navigable(i, j)) return [i, j];
    }
    return undefined;
  }
}

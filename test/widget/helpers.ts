import { fixture, waitUntil } from '@open-wc/testing';
import type { SmartPackGrid } from '../../widget/index.js';
import '../../widget/index.js';
import { PARENT_TOKEN } from './fake-api.js';

export const $ = (el: SmartPackGrid, sel: string) => el.shadowRoot!.querySelector<HTMLElement>(sel);
export const $$ = (el: SmartPackGrid, sel: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(sel)];

export const cell = (el: SmartPackGrid, weekday: string, time: string) => {
  const c = $(el, `[role=gridcell][data-weekday="${weekday}"][data-time="${time}"]`);
  if (!c) throw new Error(`no cell ${weekday} ${time}`);
  return c;
};

export const text = (el: SmartPackGrid, sel: string) => ($(el, sel)?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Mounts the element with sensible defaults; `attrs` overrides or adds attributes. */
export async function mount(attrs: Record<string, string | null> = {}, wait: 'grid' | 'none' = 'grid') {
  const all: Record<string, string | null> = {
    'api-base': '',
    'teacher-id': 't1',
    'subject-id': 'math',
    'student-id': 'student-demo',
    'parent-token': PARENT_TOKEN,
    lang: 'en-US',
    'viewer-time-zone': 'Africa/Khartoum',
    ...attrs,
  };
  const attrText = Object.entries(all)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}="${v}"`)
    .join(' ');
  const el = await fixture<SmartPackGrid>(`<smart-pack-grid ${attrText}></smart-pack-grid>`);
  if (wait === 'grid') await waitUntil(() => $(el, '[role=grid]'), 'grid did not render');
  return el;
}

/** Waits until the debounced check has answered and rendered. */
export async function checked(el: SmartPackGrid, message = 'check did not settle') {
  await waitUntil(() => !$(el, '.checking') && ($(el, '[part~=sessions]') || !el.patterns.length), message, {
    timeout: 3000,
  });
  await el.updateComplete;
}

export function gridCells(el: SmartPackGrid) {
  return $$(el, '[role=gridcell][data-r]');
}

/** "Continue" from the grid: the review before paying shows. */
export async function review(el: SmartPackGrid) {
  $(el, '[part~=continue-button]')!.click();
  await el.updateComplete;
  await waitUntil(() => $(el, '[part~=review]'), 'the review did not show');
}

/** Through the review: confirms every busy week and presses "Reserve and pay". */
export async function buy(el: SmartPackGrid) {
  if (!$(el, '[part~=review]')) await review(el);
  for (const box of $$(el, '[part~=week-confirm] input') as HTMLInputElement[]) if (!box.checked) box.click();
  await el.updateComplete;
  $(el, '[part~=purchase-button]')!.click();
}

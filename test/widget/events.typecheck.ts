/**
 * Compile-time check, run by `npm run typecheck`: both elements' tags and events are typed for a
 * TypeScript host page with no cast, on the element, on any HTMLElement and on `document`.
 * Types only; nothing here runs.
 */
import type { SmartPackGrid } from '../../widget/index.js';
import type { SmartPackPackage } from '../../widget/package.js';

declare const host: HTMLElement;

export function listen(): void {
  const grid: SmartPackGrid | null = document.querySelector('smart-pack-grid');
  grid?.addEventListener('smart-pack-purchased', (e) => e.detail.package.id.toUpperCase());
  grid?.addEventListener('smart-pack-change', (e) => e.detail.patterns.map((p) => p.weekday));
  // Composed and bubbling: a listener on any ancestor, or on the document, is typed the same.
  host.addEventListener('smart-pack-purchased', (e) => e.detail.package.sessions.length);
  document.addEventListener('smart-pack-change', (e) => e.detail.validation?.available);

  const view: SmartPackPackage | null = document.querySelector('smart-pack-package');
  view?.addEventListener('smart-pack-package-change', (e) => [
    e.detail.action,
    e.detail.session.id,
    e.detail.package.id,
  ]);
  window.addEventListener('smart-pack-package-change', (e) => e.detail.action);

  // @ts-expect-error a misspelt event name falls back to a plain Event, which has no detail
  grid?.addEventListener('smart-pack-purchase', (e) => e.detail);
}

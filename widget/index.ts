/**
 * Entry point: importing this module registers `<smart-pack-grid>`.
 * The class lives in its own module so hosts can subclass or register it under another name.
 */
import { SmartPackGrid } from './smart-pack-grid.js';

export { SmartPackGrid, MAX_SLOTS, CHECK_DEBOUNCE_MS } from './smart-pack-grid.js';
export * from './events/index.js';
export { ApiError, createFetchClient } from './api-client.js';
export type * from './api-client.js';
export type {
  MultiSlotAvailability,
  RecurringPattern,
  Resolution,
  ScheduledSession,
  WeeklyGrid,
} from '../api/contract/wire.js';

// Guarded so that a page including both the module and the IIFE build does not throw.
if (!customElements.get('smart-pack-grid')) customElements.define('smart-pack-grid', SmartPackGrid);

declare global {
  interface HTMLElementTagNameMap {
    'smart-pack-grid': SmartPackGrid;
  }
}

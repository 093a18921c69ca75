/**
 * Entry point of `dist/smart-pack-grid.js`: importing this module registers `<smart-pack-grid>`.
 *
 * The class (smart-pack-grid.ts) does not register itself, so a build that imports that module directly
 * can choose the tag. Importing this entry (or loading the bundle) takes `smart-pack-grid`; a host that
 * wants another tag as well registers a subclass, since a constructor can be registered once only:
 * `class MyGrid extends SmartPackGrid {}; MyGrid.define('my-grid')`.
 */
import { SmartPackGrid } from './smart-pack-grid.js';

export { SmartPackGrid, MAX_SLOTS, CHECK_DEBOUNCE_MS } from './smart-pack-grid.js';
export { SmartPackChangeEvent, type SmartPackChangeDetail } from './events/smart-pack-change-event.js';
export { SmartPackPurchasedEvent, type SmartPackPurchasedDetail } from './events/smart-pack-purchased-event.js';
export { SmartPackHoldEvent, type SmartPackHoldDetail } from './events/smart-pack-hold-event.js';
export { ApiError, createFetchClient } from './api-client.js';
export type * from './api-client.js';
export type { ErrorCode } from '../api/contract/errors.js';
export type {
  MultiSlotAvailability,
  RecurringPattern,
  Resolution,
  ScheduledSession,
  WeeklyGrid,
} from '../api/contract/wire.js';

SmartPackGrid.define('smart-pack-grid');

declare global {
  interface HTMLElementTagNameMap {
    'smart-pack-grid': SmartPackGrid;
  }
}

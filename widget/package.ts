/**
 * Entry point of `dist/smart-pack-package.js`: importing this module registers `<smart-pack-package>`.
 * A separate bundle from `<smart-pack-grid>`, so the booking page does not carry it (and the
 * reverse); see vite.config.ts. The class module does not register itself (see index.ts for the
 * same rule: to use another tag too, register a subclass with `define`).
 */
import { SmartPackPackage } from './smart-pack-package.js';

export {
  SmartPackPackage,
  SLOT_PAGE_DAYS,
  createPackageClient,
  type PackageClient,
  type SlotChoice,
} from './smart-pack-package.js';
export {
  SmartPackPackageChangeEvent,
  type SmartPackPackageChangeDetail,
  type SmartPackPackageChangeDetail as PackageChangeDetail,
} from './events/smart-pack-package-change-event.js';
export { ApiError } from './api-client.js';
export type { ApiErrorCode } from './api-client.js';
export type { ErrorCode } from '../api/contract/errors.js';
export type { DatedSlots, PackageSessionView, PackageView, SessionOutcome } from '../api/contract/wire.js';

SmartPackPackage.define('smart-pack-package');

declare global {
  interface HTMLElementTagNameMap {
    'smart-pack-package': SmartPackPackage;
  }
}

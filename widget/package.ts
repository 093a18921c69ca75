/**
 * Entry point of the package view: importing this module registers `<smart-pack-package>`.
 * A separate bundle from `<smart-pack-grid>`, so the booking page does not carry it (and the
 * reverse); see vite.config.ts.
 */
export {
  SmartPackPackage,
  createPackageClient,
  type PackageClient,
  type PackageChangeDetail,
} from './smart-pack-package.js';

// Every event class of both elements. The entry points re-export their own element's events by name,
// so neither bundle carries the other's.
export * from './smart-pack-change-event.js';
export * from './smart-pack-purchased-event.js';
export * from './smart-pack-package-change-event.js';
export * from './smart-pack-hold-event.js';

// Every event class of the elements. The entry points re-export their own element's events by name,
// so no bundle carries another’s.
export * from './smart-pack-change-event.js';
export * from './smart-pack-purchased-event.js';
export * from './smart-pack-package-change-event.js';
export * from './smart-pack-hold-event.js';
export * from './smart-pack-teacher-change-event.js';

export * from './smart-pack-change-event.js';
export * from './smart-pack-purchased-event.js';

/**
 * The server's route types for `hono/client`, re-exported here so that the widget imports from
 * `api/contract/` only (a type-only import: no server code reaches the bundle).
 */
export type { AppType } from '../app.js';

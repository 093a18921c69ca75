import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startNodeServer } from '../../api/server/host.js';

export const ADMIN_KEY = 'test-admin-key';

/** A running API reached over real HTTP on loopback, backed by a real SQLite file. */
export interface ApiTarget {
  url: string;
  adminKey: string;
  databasePath: string;
  close(): Promise<void>;
}

export function tempDatabasePath(prefix = 'smart-pack-test-'): { path: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { path: join(dir, 'test.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts the API with a pinned clock on a fresh database. `API_TARGET=worker` is reserved for the
 * Cloudflare Worker on workerd; the default is the Node server.
 */
export async function startTarget(options: { now: string; seed?: boolean }): Promise<ApiTarget> {
  const db = tempDatabasePath();
  const server = await startNodeServer({
    databasePath: db.path,
    port: 0,
    adminApiKey: ADMIN_KEY,
    now: options.now,
    seed: options.seed ?? false,
  });
  return {
    url: server.url,
    adminKey: ADMIN_KEY,
    databasePath: db.path,
    async close() {
      await server.close();
      db.cleanup();
    },
  };
}

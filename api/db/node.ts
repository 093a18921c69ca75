import SQLite from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, SqliteDialect, type Compilable } from 'kysely';
import type { Database } from './schema.js';
import type { BatchResult, Store } from './store.js';

/**
 * Opens the embedded SQLite file. WAL lets readers run beside the single writer, and the busy
 * timeout makes a second process (or server) wait for the write lock instead of failing.
 */
export function openNodeStore(path: string): Store & { sqlite: SQLite.Database; close(): Promise<void> } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('synchronous = NORMAL');

  let statementCount = 0;
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    log: () => {
      statementCount++;
    },
  });

  // IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read lock.
  const runBatch = sqlite.transaction((queries: Compilable[]): BatchResult[] =>
    queries.map((query) => {
      const compiled = query.compile();
      const statement = sqlite.prepare(compiled.sql);
      const params = compiled.parameters as unknown[];
      if (statement.reader) return { rows: statement.all(...params) as Record<string, unknown>[], changes: 0 };
      return { rows: [], changes: statement.run(...params).changes };
    }),
  );

  return {
    db,
    sqlite,
    get statementCount() {
      return statementCount;
    },
    async batch(queries) {
      statementCount += queries.length;
      return runBatch.immediate(queries);
    },
    async close() {
      await db.destroy();
    },
  };
}

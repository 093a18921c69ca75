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
  const prepare = cachedPrepare(sqlite);
  const db = new Kysely<Database>({
    // Kysely prepares every query anew; preparing costs more than running our indexed reads.
    dialect: new SqliteDialect({
      database: { prepare: (sql: string) => prepare(sql), close: () => sqlite.close() },
    }),
    log: () => {
      statementCount++;
    },
  });

  // IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read lock.
  const runBatch = sqlite.transaction((queries: Compilable[]): BatchResult[] =>
    queries.map((query) => {
      const compiled = query.compile();
      const statement = prepare(compiled.sql);
      const params = compiled.parameters as unknown[];
      if (statement.reader) {
        // A SELECT, or a write with RETURNING: its rows are what it changed.
        const rows = statement.all(...params) as Record<string, unknown>[];
        return { rows, changes: statement.readonly ? 0 : rows.length };
      }
      return { rows: [], changes: statement.run(...params).changes };
    }),
  );

  const stamp = sqlite.prepare('SELECT (SELECT data_version FROM pragma_data_version()), total_changes()').raw();

  return {
    db,
    sqlite,
    changeStamp() {
      statementCount++;
      const [version, changes] = stamp.get() as [number, number];
      return `${version}:${changes}`;
    },
    get statementCount() {
      return statementCount;
    },
    async batch(queries) {
      statementCount += queries.length;
      return runBatch.immediate(queries);
    },
    // better-sqlite3 runs a statement to completion synchronously, so there is nothing to queue behind.
    async read<R>(sql: string, parameters: readonly unknown[]) {
      statementCount++;
      return prepare(sql).all(...parameters) as R[];
    },
    async close() {
      await db.destroy();
    },
  };
}

/**
 * Prepared statements reused by SQL text. Statements run synchronously to completion here (no
 * streaming), so one statement object is never in use twice at once. Bounded, because a few
 * statements (e.g. multi-row inserts) have SQL that varies with their row count.
 */
function cachedPrepare(sqlite: SQLite.Database, max = 500): (sql: string) => SQLite.Statement {
  const cache = new Map<string, SQLite.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = sqlite.prepare(sql);
      if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      cache.set(sql, statement);
    }
    return statement;
  };
}

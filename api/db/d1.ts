import type { D1Database } from '@cloudflare/workers-types';
import { Kysely, type Compilable } from 'kysely';
import { D1Dialect } from 'kysely-d1';
import type { Database } from './schema.js';
import type { BatchResult, Store } from './store.js';

/**
 * The store on Cloudflare D1. D1 has no interactive transactions (kysely-d1's `transaction()`
 * throws), but `D1Database.batch()` runs its statements as one implicit transaction: if any
 * statement fails, none of them is applied. That is exactly the contract of `Store.batch`.
 */
export function openD1Store(d1: D1Database): Store {
  let statementCount = 0;
  const db = new Kysely<Database>({
    dialect: new D1Dialect({ database: d1 }),
    log: () => {
      statementCount++;
    },
  });

  return {
    db,
    get statementCount() {
      return statementCount;
    },
    async batch(queries: Compilable[]): Promise<BatchResult[]> {
      if (queries.length === 0) return [];
      statementCount += queries.length;
      const prepared = queries.map((query) => {
        const compiled = query.compile();
        return d1.prepare(compiled.sql).bind(...(compiled.parameters as unknown[]));
      });
      const results = await d1.batch<Record<string, unknown>>(prepared);
      // D1 counts rows written by triggers in `changes` (better-sqlite3 does not), so callers
      // may only rely on "0 or more than 0", never on an exact number.
      return results.map((result) => ({ rows: result.results ?? [], changes: result.meta?.changes ?? 0 }));
    },
    async read<R>(sql: string, parameters: readonly unknown[]) {
      statementCount++;
      const result = await d1
        .prepare(sql)
        .bind(...parameters)
        .all<R>();
      return result.results ?? [];
    },
  };
}

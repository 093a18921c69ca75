import type SQLite from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

/**
 * Applies `api/db/migrations/*.sql` in name order, recording them in `d1_migrations`, the same
 * table `wrangler d1 migrations apply` keeps, so both tools agree on what has run.
 */
export function migrate(sqlite: SQLite.Database, dir = MIGRATIONS_DIR): string[] {
  sqlite.exec(`CREATE TABLE IF NOT EXISTS d1_migrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT UNIQUE,
    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
  )`);
  const isApplied = sqlite.prepare('SELECT 1 FROM d1_migrations WHERE name = ?');
  const applied: string[] = [];
  for (const name of readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()) {
    const sql = readFileSync(dir + name, 'utf8');
    // Checked inside the write lock: two processes starting on one file apply each file once.
    sqlite
      .transaction(() => {
        if (isApplied.get(name)) return;
        sqlite.exec(sql);
        sqlite.prepare('INSERT INTO d1_migrations (name) VALUES (?)').run(name);
        applied.push(name);
      })
      .immediate();
  }
  return applied;
}

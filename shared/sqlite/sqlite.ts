/**
 * SQLite on `node:sqlite` (built into Deno): WAL journal, a busy timeout,
 * and versioned migrations applied in order, once, per database.
 */
import { DatabaseSync, type StatementSync } from "node:sqlite";

export type { DatabaseSync } from "node:sqlite";

/** One schema change; `up` runs inside a transaction. */
export interface Migration {
  version: number;
  name: string;
  up: string | ((db: DatabaseSync) => void);
}

/** Page size of the databases Freshet creates. */
export const DATABASE_PAGE_SIZE = 16_384;

/** Options of `openDatabase`. */
export interface OpenDatabaseOptions {
  /** Migrations of this database, any order; versions must be unique. */
  migrations?: Migration[];
  /** How long a writer waits for a lock before SQLITE_BUSY (default 5000 ms). */
  busyTimeoutMs?: number;
}

/**
 * Opens (creating if needed) a database and brings its schema up to date.
 * `synchronous=NORMAL` with WAL survives a killed process without losing a
 * committed transaction; only an OS crash can lose the last ones.
 *
 * New databases get 16 KiB pages (SQLite's default is 4 KiB): consumers
 * append ~1 KB rows in large transactions, and bigger pages cut the cost of
 * writing them to the WAL and checkpointing by about a third (see
 * docs/decisions.md, "Performance"). An existing database keeps its page size.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): DatabaseSync {
  const db = new DatabaseSync(path);
  try {
    db.exec(`PRAGMA busy_timeout = ${options.busyTimeoutMs ?? 5_000}`);
    db.exec(`PRAGMA page_size = ${DATABASE_PAGE_SIZE}`); // only a new database takes it
    db.exec("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = NORMAL");
    db.exec("PRAGMA foreign_keys = ON");
    migrate(db, options.migrations ?? []);
  } catch (error) {
    db.close(); // a failed open (a lock held past the busy timeout) leaves no connection behind
    throw error;
  }
  return db;
}

/** Applies the migrations not applied yet, each in its own transaction. */
export function migrate(db: DatabaseSync, migrations: Migration[]): number[] {
  const versions = new Set<number>();
  for (const m of migrations) {
    if (versions.has(m.version)) throw new Error(`duplicate migration version ${m.version}`);
    versions.add(m.version);
  }
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(
    db.prepare("SELECT version FROM schema_migrations").all().map((r) => Number(r.version)),
  );
  const done: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    transaction(db, () => {
      // Another connection (the web server and a consumer Worker open the
      // same file) may have applied it since we looked; BEGIN IMMEDIATE
      // makes this check and the migration one step.
      const done = db.prepare("SELECT 1 FROM schema_migrations WHERE version = ?").get(m.version);
      if (done) return;
      if (typeof m.up === "string") db.exec(m.up);
      else m.up(db);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)")
        .run(m.version, m.name, new Date().toISOString());
    });
    done.push(m.version);
  }
  return done;
}

/**
 * Runs `fn` in one write transaction (BEGIN IMMEDIATE): committed if it
 * returns, rolled back if it throws. `fn` is synchronous on purpose: no
 * other work can interleave with a transaction in progress.
 */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

const statements = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

/**
 * The prepared statement for `sql` on `db`, prepared once and reused:
 * preparing costs more than running a small insert.
 */
export function statement(db: DatabaseSync, sql: string): StatementSync {
  let cache = statements.get(db);
  if (!cache) statements.set(db, cache = new Map());
  let prepared = cache.get(sql);
  if (!prepared) cache.set(sql, prepared = db.prepare(sql));
  return prepared;
}

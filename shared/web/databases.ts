/**
 * The services' SQLite databases as the web server sees them: each opened
 * once (same file, same migrations as the service's consumer), shared by
 * every request, closed at shutdown. The consumer Worker owning a database
 * relays its outbox, so a route's state change and its event commit together.
 * A service may keep tables of its own in a database it does not own (the
 * console's redrive log in the web's `console` database): they are given
 * at construction, by database, and applied with the owner's migrations.
 */
import { OFFSETS_MIGRATION } from "../consumer/offsets.ts";
import { OUTBOX_MIGRATION } from "../outbox/outbox.ts";
import { type DatabaseSync, type Migration, openDatabase } from "../sqlite/sqlite.ts";
import { HttpError } from "./http_error.ts";

/** Opens service databases under one data folder. */
export class Databases {
  #dataDir: string;
  #added: Readonly<Record<string, readonly Migration[]>>;
  #open = new Map<string, DatabaseSync>();
  #busyTimeoutMs?: number;

  /**
   * `added`: per database name, migrations the services add to it (their
   * versions must be free); `busyTimeoutMs`: how long an open waits for a
   * lock its consumer holds (default: openDatabase's 5 s).
   */
  constructor(
    dataDir: string,
    added: Readonly<Record<string, readonly Migration[]>> = {},
    busyTimeoutMs?: number,
  ) {
    this.#dataDir = dataDir;
    this.#added = added;
    this.#busyTimeoutMs = busyTimeoutMs;
  }

  /**
   * The database of service `name` (`<dataDir>/<name>/<name>.db`), with its
   * migrations, those the services add to it and the kernel's (offsets,
   * outbox) applied.
   */
  get(name: string, migrations: Migration[]): DatabaseSync {
    let db = this.#open.get(name);
    if (!db) {
      Deno.mkdirSync(`${this.#dataDir}/${name}`, { recursive: true });
      try {
        db = openDatabase(`${this.#dataDir}/${name}/${name}.db`, {
          migrations: [
            ...migrations,
            ...(Object.hasOwn(this.#added, name) ? this.#added[name] : []),
            OFFSETS_MIGRATION,
            OUTBOX_MIGRATION,
          ],
          busyTimeoutMs: this.#busyTimeoutMs,
        });
      } catch (error) {
        // Its consumer holds the write lock past the busy timeout: a long migration (the
        // monitor's third takes ~36 s over a week of history) or a long write. Not a bug of
        // this request: a 503 saying so; the next request opens it again.
        if (!/database is locked|SQLITE_BUSY/i.test((error as Error)?.message ?? "")) throw error;
        throw new HttpError(
          503,
          `the ${name} database is busy (its consumer is migrating it or holds a long write); ` +
            "try again in a few seconds",
          { cause: error },
        );
      }
      this.#open.set(name, db);
    }
    return db;
  }

  /** Closes every database. */
  close(): void {
    for (const db of this.#open.values()) db.close();
    this.#open.clear();
  }
}

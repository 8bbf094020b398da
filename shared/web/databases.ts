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

/** Opens service databases under one data folder. */
export class Databases {
  #dataDir: string;
  #added: Readonly<Record<string, readonly Migration[]>>;
  #open = new Map<string, DatabaseSync>();

  /** `added`: per database name, migrations the services add to it (their versions must be free). */
  constructor(dataDir: string, added: Readonly<Record<string, readonly Migration[]>> = {}) {
    this.#dataDir = dataDir;
    this.#added = added;
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
      db = openDatabase(`${this.#dataDir}/${name}/${name}.db`, {
        migrations: [
          ...migrations,
          ...(Object.hasOwn(this.#added, name) ? this.#added[name] : []),
          OFFSETS_MIGRATION,
          OUTBOX_MIGRATION,
        ],
      });
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

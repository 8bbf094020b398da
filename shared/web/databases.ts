/**
 * The services' SQLite databases as the web server sees them: each opened
 * once (same file, same migrations as the service's consumer), shared by
 * every request, closed at shutdown. The consumer Worker owning a database
 * relays its outbox, so a route's state change and its event commit together.
 */
import { OFFSETS_MIGRATION } from "../consumer/offsets.ts";
import { OUTBOX_MIGRATION } from "../outbox/outbox.ts";
import { type DatabaseSync, type Migration, openDatabase } from "../sqlite/sqlite.ts";

/** Opens service databases under one data folder. */
export class Databases {
  #dataDir: string;
  #open = new Map<string, DatabaseSync>();

  constructor(dataDir: string) {
    this.#dataDir = dataDir;
  }

  /**
   * The database of service `name` (`<dataDir>/<name>/<name>.db`), with its
   * migrations and the kernel's (offsets, outbox) applied.
   */
  get(name: string, migrations: Migration[]): DatabaseSync {
    let db = this.#open.get(name);
    if (!db) {
      Deno.mkdirSync(`${this.#dataDir}/${name}`, { recursive: true });
      db = openDatabase(`${this.#dataDir}/${name}/${name}.db`, {
        migrations: [...migrations, OFFSETS_MIGRATION, OUTBOX_MIGRATION],
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

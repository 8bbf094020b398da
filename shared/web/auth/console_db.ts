/**
 * The web kernel's SQLite database, `<dataDir>/console/console.db` (named
 * after the console, its first user): login sessions, the audit log and
 * single sign-on logins in progress. The kernel's migrations are listed
 * here; a service keeping a table of its own in it declares its migration
 * in its module (`web.migrations.console`; the console's redrive log is
 * version 3), and the app adds it when it opens the database.
 */
import type { Migration } from "../../sqlite/sqlite.ts";
import type { DatabaseSync } from "../../sqlite/sqlite.ts";
import type { WebServices } from "../services.ts";

/** Name of the database (its folder under the data folder). */
export const CONSOLE_DB = "console";

/** The kernel's schema of the console database (versions 1-99; 3 is the console service's). */
export const CONSOLE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: "sessions",
    up: `CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY,
      user_name TEXT NOT NULL,
      role TEXT NOT NULL,
      credential TEXT NOT NULL,
      csrf_token TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    );
    CREATE INDEX sessions_expires_at ON sessions (expires_at);`,
  },
  {
    version: 2,
    name: "audit log",
    up: `CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      at TEXT NOT NULL,
      user_name TEXT,
      role TEXT,
      client TEXT,
      action TEXT NOT NULL,
      target TEXT NOT NULL,
      result TEXT NOT NULL,
      detail TEXT
    );
    CREATE INDEX audit_log_action ON audit_log (action);`,
  },
  {
    version: 4,
    name: "audit log retention",
    // Failed logins of nobody in particular are capped on their own
    // (audit_retention.ts), so a flood of them never rotates out what users did.
    up: `ALTER TABLE audit_log ADD COLUMN anonymous_failure INTEGER NOT NULL DEFAULT 0;
    UPDATE audit_log SET anonymous_failure = 1
      WHERE action = 'login' AND result = 'refused' AND user_name IS NULL;
    CREATE INDEX audit_log_kind ON audit_log (anonymous_failure, id);
    CREATE INDEX audit_log_at ON audit_log (at);
    CREATE INDEX audit_log_failures ON audit_log (client, anonymous_failure, id);`,
  },
  {
    version: 5,
    name: "single sign-on logins in progress",
    // One row per login sent to the OpenID provider (oidc/oidc_logins.ts), used once.
    up: `CREATE TABLE oidc_logins (
      state_hash TEXT PRIMARY KEY,
      code_verifier TEXT NOT NULL,
      nonce TEXT NOT NULL,
      next TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX oidc_logins_created_at ON oidc_logins (created_at);`,
  },
];

/** The console database of an app, opened on first use. */
export function consoleDb(services: Pick<WebServices, "databases">): DatabaseSync {
  return services.databases.get(CONSOLE_DB, CONSOLE_MIGRATIONS);
}

/**
 * The alerts service's SQLite (`data/alerts/alerts.db`, opened by the web
 * server's `Databases`): the rules as last applied from alerts.txt, the
 * state of each alert (pending or firing, per rule and instance), the
 * history of what happened, silences, the notifications to deliver with
 * their attempts, and what the conditions remember between evaluations
 * (dead-letter counts, brokers seen).
 */
import type { Migration } from "../../shared/sqlite/sqlite.ts";

/** The service's name: its data folder and database. */
export const ALERTS_SERVICE = "alerts";

/** The alerts database's tables. */
export const ALERTS_MIGRATIONS: Migration[] = [{
  version: 1,
  name: "alerts",
  up: `
    CREATE TABLE rules (
      name TEXT PRIMARY KEY, kind TEXT NOT NULL, line INTEGER NOT NULL,
      definition TEXT NOT NULL, applied_at INTEGER NOT NULL
    );

    CREATE TABLE alerts (
      rule TEXT NOT NULL, instance TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('pending', 'firing')),
      since INTEGER NOT NULL, fired_at INTEGER, episode INTEGER,
      summary TEXT NOT NULL, details TEXT NOT NULL,
      notified INTEGER NOT NULL DEFAULT 0, last_sent_at INTEGER, repeats INTEGER NOT NULL DEFAULT 0,
      checked_at INTEGER NOT NULL,
      PRIMARY KEY (rule, instance)
    );

    CREATE TABLE events (
      id INTEGER PRIMARY KEY, at INTEGER NOT NULL, rule TEXT NOT NULL, instance TEXT NOT NULL,
      event TEXT NOT NULL, episode INTEGER, summary TEXT NOT NULL, details TEXT
    );
    CREATE INDEX events_by_rule ON events (rule, id);

    CREATE TABLE silences (
      id INTEGER PRIMARY KEY, rule TEXT NOT NULL, instance TEXT NOT NULL, comment TEXT NOT NULL,
      created_by TEXT, created_at INTEGER NOT NULL, ends_at INTEGER NOT NULL, expired_at INTEGER
    );

    CREATE TABLE deliveries (
      id INTEGER PRIMARY KEY, event_id INTEGER NOT NULL, rule TEXT NOT NULL,
      instance TEXT NOT NULL, status TEXT NOT NULL, url TEXT NOT NULL, format TEXT NOT NULL,
      body TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
      attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL, last_error TEXT,
      created_at INTEGER NOT NULL, sent_at INTEGER,
      UNIQUE (event_id, url)
    );
    CREATE INDEX deliveries_due ON deliveries (state, next_at);

    CREATE TABLE dlq_seen (
      topic TEXT PRIMARY KEY, messages INTEGER NOT NULL, changed_at INTEGER NOT NULL
    );

    CREATE TABLE known_brokers (
      id INTEGER PRIMARY KEY, host TEXT NOT NULL, last_seen_at INTEGER NOT NULL
    );
  `,
}];

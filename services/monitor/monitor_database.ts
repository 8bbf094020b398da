/** Opening the monitor's database, the same way from the monitor and from the web server. */
import { OFFSETS_MIGRATION } from "../../shared/consumer/offsets.ts";
import { OUTBOX_MIGRATION } from "../../shared/outbox/outbox.ts";
import { type DatabaseSync, openDatabase, statement } from "../../shared/sqlite/sqlite.ts";
import { DEFAULT_SETTINGS, type MonitorSettings } from "./config.ts";
import { MONITOR_MIGRATIONS, MONITOR_SERVICE } from "./monitor_db.ts";

/**
 * Every migration of the monitor's database: its own and the kernel's, as
 * the web server's `Databases` applies them to any service database.
 */
export const MONITOR_DATABASE_MIGRATIONS = [
  ...MONITOR_MIGRATIONS,
  OFFSETS_MIGRATION,
  OUTBOX_MIGRATION,
];

/** Opens (creating) `<dataDir>/monitor/monitor.db`. */
export function openMonitorDatabase(dataDir: string): DatabaseSync {
  const dir = `${dataDir}/${MONITOR_SERVICE}`;
  Deno.mkdirSync(dir, { recursive: true });
  return openDatabase(`${dir}/${MONITOR_SERVICE}.db`, { migrations: MONITOR_DATABASE_MIGRATIONS });
}

const KEYS: [keyof MonitorSettings, string][] = [
  ["sampleMs", "sample_ms"],
  ["fineRetentionMs", "fine_retention_ms"],
  ["coarseMs", "coarse_ms"],
  ["coarseRetentionMs", "coarse_retention_ms"],
  ["windowMs", "window_ms"],
  ["topicRefreshMs", "topic_refresh_ms"],
];

/** Stores the monitor's settings, so readers (the web server) use the same resolutions. */
export function writeSettings(db: DatabaseSync, settings: MonitorSettings): void {
  const upsert = statement(db, "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)");
  for (const [field, key] of KEYS) upsert.run(key, settings[field]);
}

/** The settings the monitor stored (the defaults before it first ran). */
export function readSettings(db: DatabaseSync): MonitorSettings {
  const stored = new Map(
    (statement(db, "SELECT key, value FROM settings").all() as { key: string; value: number }[])
      .map((r) => [r.key, Number(r.value)]),
  );
  const settings = { ...DEFAULT_SETTINGS };
  for (const [field, key] of KEYS) settings[field] = stored.get(key) ?? settings[field];
  return settings;
}

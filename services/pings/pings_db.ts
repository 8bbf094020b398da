/** The pings service's store: each ping once, by id, with where it was read. */
import { z } from "zod";
import { type DatabaseSync, type Migration, statement } from "../../shared/sqlite/sqlite.ts";

/** The consumer's name: its data folder, its group. */
export const PINGS_SERVICE = "pings-service";
/** The topic of pings. */
export const PINGS = "pings";

/** A ping. */
export const pingSchema = z.object({
  id: z.string().trim().min(1).max(200),
  message: z.string().max(500),
});

/** The pings table. */
export const PINGS_MIGRATIONS: Migration[] = [{
  version: 1,
  name: "pings",
  up: "CREATE TABLE pings (id TEXT PRIMARY KEY, message TEXT NOT NULL, read_at INTEGER NOT NULL)",
}];

/** Keeps `ping` once (a second one of the same id changes nothing); whether it was new. */
export function savePing(
  db: DatabaseSync,
  ping: z.infer<typeof pingSchema>,
  offset: number,
): boolean {
  const sql = "INSERT OR IGNORE INTO pings (id, message, read_at) VALUES (?, ?, ?)";
  return statement(db, sql).run(ping.id, ping.message, offset).changes === 1;
}

/** The newest pings first. */
export function listPings(db: DatabaseSync, limit = 50): { id: string; message: string }[] {
  const sql = "SELECT id, message FROM pings ORDER BY read_at DESC LIMIT ?";
  return (statement(db, sql).all(limit) as { id: string; message: string }[])
    .map(({ id, message }) => ({ id, message }));
}

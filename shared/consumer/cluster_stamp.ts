/**
 * Which Kafka cluster a consumer's database was built from. Stored offsets
 * mean something only on the cluster whose log they count: after the local
 * broker is wiped (`deno task kafka --fresh`) or `KAFKA_BROKERS` names
 * another cluster, resuming from them would skip messages or wait for
 * offsets that never come. The first start records the cluster's id; a
 * later start on another cluster stops with a message saying what to do.
 */
import type { DatabaseSync, Migration } from "../sqlite/sqlite.ts";

/** Migration creating the consumer's metadata table. */
export const CONSUMER_META_MIGRATION: Migration = {
  version: 902,
  name: "consumer metadata",
  up: `CREATE TABLE consumer_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
};

/** The database was built from another cluster. */
export class ClusterMismatchError extends Error {
  constructor(readonly folder: string, readonly stored: string, readonly current: string) {
    super(
      `${folder} was built from Kafka cluster ${stored}, but the brokers now belong to cluster ` +
        `${current} (the local broker was wiped, or KAFKA_BROKERS names another cluster). Its ` +
        `stored offsets count another log, so it will not consume. To rebuild it from this ` +
        `cluster's topics, stop it and remove ${folder}; to keep it, point KAFKA_BROKERS at ` +
        `cluster ${stored}.`,
    );
    this.name = "ClusterMismatchError";
  }
}

/** Records `clusterId` on first use; throws ClusterMismatchError when another one is recorded. */
export function checkClusterStamp(db: DatabaseSync, folder: string, clusterId: string): void {
  const row = db.prepare("SELECT value FROM consumer_meta WHERE key = 'cluster_id'").get();
  if (!row) {
    db.prepare("INSERT OR IGNORE INTO consumer_meta (key, value) VALUES ('cluster_id', ?)")
      .run(clusterId);
    return;
  }
  if (row.value !== clusterId) throw new ClusterMismatchError(folder, String(row.value), clusterId);
}

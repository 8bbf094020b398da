/** Helpers of the monitor tests: a monitor on a random topic prefix, and totals read back. */
import type { Kafka } from "kafkajs";
import { closeBus } from "../shared/bus/bus.ts";
import { withAdmin } from "../shared/kafka/client.ts";
import { createMonitor } from "../services/monitor/main.ts";
import type { Monitor } from "../services/monitor/monitor.ts";
import { openMonitorDatabase } from "../services/monitor/monitor_database.ts";
import { adminKafka, randomName } from "./helpers.ts";

/** Settings that make a test quick: 1-s samples, a 5-s window, topics re-read every 2 s. */
export const FAST_MONITOR_ENV = {
  MONITOR_SAMPLE_INTERVAL: "1s",
  MONITOR_STATUS_WINDOW: "5s",
  MONITOR_TOPIC_REFRESH: "2s",
  MONITOR_COARSE_RESOLUTION: "10s",
  MONITOR_FINE_RETENTION: "1m",
  MONITOR_COARSE_RETENTION: "10m",
};

/** A test's prefix, data folder, topics and monitors; `close()` removes them all. */
export interface MonitorFixture {
  kafka: Kafka;
  prefix: string;
  dataDir: string;
  env: Record<string, string>;
  topic(base: string): string;
  createTopic(base: string, partitions: number): Promise<string>;
  /** A monitor on this fixture's data folder (stopped by `close` if still running). */
  monitor(extraEnv?: Record<string, string>): Monitor;
  close(): Promise<void>;
}

/** Creates the fixture. */
export async function monitorFixture(label: string): Promise<MonitorFixture> {
  const kafka = adminKafka();
  const prefix = `${randomName(label)}.`;
  const dataDir = await Deno.makeTempDir({ prefix: `freshet-${label}-` });
  const env = { FRESHET_TOPIC_PREFIX: prefix, ...FAST_MONITOR_ENV };
  const monitors: Monitor[] = [];
  const topic = (base: string) => `${prefix}${base}`;
  return {
    kafka,
    prefix,
    dataDir,
    env,
    topic,
    async createTopic(base, partitions) {
      await withAdmin(kafka, (admin) =>
        admin.createTopics({
          waitForLeaders: true,
          topics: [{ topic: topic(base), numPartitions: partitions }],
        }));
      return topic(base);
    },
    monitor(extraEnv = {}) {
      const monitor = createMonitor({ ...env, ...extraEnv }, {
        dataDir,
        mode: "process",
        noteIntervalMs: 200,
      });
      monitors.push(monitor);
      return monitor;
    },
    async close() {
      await Promise.allSettled(monitors.map((m) => m.stop()));
      await withAdmin(kafka, async (admin) => {
        const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
        if (topics.length > 0) await admin.deleteTopics({ topics });
        const { groups } = await admin.listGroups();
        const mine = groups.map((g) => g.groupId).filter((g) => g.includes(prefix.slice(0, -1)));
        if (mine.length > 0) await admin.deleteGroups(mine).catch(() => {});
      });
      closeBus();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}

/** Messages counted per topic, from the monitor's database. */
export function countedPerTopic(dataDir: string): Map<string, number> {
  const db = openMonitorDatabase(dataDir);
  try {
    const rows = db.prepare("SELECT topic, SUM(messages) AS n FROM topic_totals GROUP BY topic")
      .all() as { topic: string; n: number }[];
    return new Map(rows.map((r) => [r.topic, Number(r.n)]));
  } finally {
    db.close();
  }
}

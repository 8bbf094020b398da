/**
 * Lag sampling against the real broker: a group that stops consuming while
 * messages keep arriving goes OK → STALL (paused, still a member) → STOP
 * (gone), its lag and lag in time growing; resumed, it drains back to OK;
 * its offsets reset backwards show REWIND.
 */
import assert from "node:assert/strict";
import type { Consumer } from "kafkajs";
import { withAdmin } from "../shared/kafka/client.ts";
import { openMonitorDatabase } from "../services/monitor/monitor_database.ts";
import { GROUP_STATUSES } from "../services/monitor/group_status.ts";
import { ConsumerStore } from "../shared/web/consumer_store.ts";
import type { HealthReport } from "../shared/web/health.ts";
import { produce, waitFor } from "./helpers.ts";
import { monitorFixture } from "./monitor_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";
import { statusOf } from "./web_helpers.ts";

interface GroupRow {
  status: string;
  lag: number;
  lagMs: number | null;
  state: string;
}

function groupRow(dataDir: string, group: string): GroupRow | undefined {
  const db = openMonitorDatabase(dataDir);
  try {
    const row = db.prepare("SELECT status, lag, lag_ms, state FROM group_state WHERE grp = ?")
      .get(group);
    return row && {
      status: GROUP_STATUSES[Number(row.status)],
      lag: Number(row.lag),
      lagMs: row.lag_ms === null ? null : Number(row.lag_ms),
      state: String(row.state),
    };
  } finally {
    db.close();
  }
}

/** How many partitions the monitor last sampled a committed offset of for `group`. */
function committedPartitions(dataDir: string, group: string): number {
  const db = openMonitorDatabase(dataDir);
  try {
    const row = db.prepare("SELECT COUNT(*) AS n FROM partition_latest WHERE grp = ?").get(group);
    return Number(row?.n ?? 0);
  } finally {
    db.close();
  }
}

Deno.test("monitor - a group that stops goes STALL/STOP with growing lag, drains back to OK, and a reset shows REWIND", async (t) => {
  const fx = await monitorFixture("mon-lag");
  const topic = await fx.createTopic("orders.created", 2);
  const group = `${fx.prefix}payments`;
  const consumers: Consumer[] = [];
  const consume = async () => {
    const consumer = fx.kafka.consumer({ groupId: group, maxWaitTimeInMs: 100 });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({ autoCommitInterval: 200, eachMessage: async () => {} });
    return consumer;
  };
  let producing = true;
  const producer = (async () => {
    let i = 0;
    while (producing) {
      await produce(fx.kafka, topic, [{ key: `k${i++}`, value: "x" }, {
        key: `k${i++}`,
        value: "y",
      }]);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const row = () => groupRow(fx.dataDir, group);
  // /health as the web server answers it for a Freshet consumer of this group.
  const statuses = new ConsumerStore();
  const { app, shutdown } = await createWorldApp(fx, { statuses });
  const health = async () => {
    statuses.update(statusOf({ name: "payments", groupId: group }));
    const res = await app.fetch(new Request("http://127.0.0.1:8000/health"));
    return { status: res.status, body: await res.json() as HealthReport };
  };
  try {
    const monitor = fx.monitor();
    await monitor.start();
    const first = await consume();

    await t.step("consuming: OK", async () => {
      // OK with a committed offset on each partition: a group shows OK before its first
      // commit too (no partition row yet), and paused then it would never show STALL.
      await waitFor(
        "the group sampled OK, committed on both partitions",
        () =>
          row()?.status === "OK" && row()!.state === "Stable" &&
          committedPartitions(fx.dataDir, group) === 2,
        30_000,
      );
    });

    await t.step("paused while a member: STALL, lag growing", async () => {
      first.pause([{ topic }]);
      await waitFor("STALL", () => row()?.status === "STALL", 30_000);
      const a = row()!;
      await waitFor("more lag", () => row()!.lag > a.lag + 20, 10_000);
      assert.ok(a.lagMs !== null && a.lagMs > 0, `lag in time ${a.lagMs}`);
      await waitFor("more lag in time", () => (row()!.lagMs ?? 0) > a.lagMs!, 10_000);
    });

    await t.step("gone: STOP", async () => {
      await first.disconnect();
      await waitFor("STOP", () => row()?.status === "STOP" && row()!.state === "Empty", 30_000);
      const { status, body } = await health();
      assert.equal(status, 503, "a Freshet consumer's group in STOP makes /health 503");
      assert.equal(body.status, "degraded");
      assert.equal(body.consumers[0].unhealthy, true);
      assert.equal(
        body.consumers[0].group?.reason?.startsWith(`consumer group ${group} is STOP`),
        true,
      );
    });

    await t.step("resumed: drains back to OK", async () => {
      const lagBefore = row()!.lag;
      await consume();
      await waitFor("OK again", () => row()?.status === "OK", 30_000);
      assert.ok(row()!.lag < lagBefore, `${row()!.lag} < ${lagBefore}`);
    });

    await t.step("offsets reset backwards: REWIND", async () => {
      producing = false;
      await producer;
      await Promise.all(consumers.map((c) => c.disconnect()));
      await waitFor("the group empty", () => row()?.state === "Empty", 15_000);
      await withAdmin(
        fx.kafka,
        (admin) => admin.resetOffsets({ groupId: group, topic, earliest: true }),
      );
      await waitFor("REWIND", () => row()?.status === "REWIND", 15_000);
      assert.ok(row()!.lag > 0);
    });
  } finally {
    producing = false;
    await producer.catch(() => {});
    await Promise.allSettled(consumers.map((c) => c.disconnect()));
    shutdown();
    await fx.close();
  }
});

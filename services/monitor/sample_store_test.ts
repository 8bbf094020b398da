import assert from "node:assert/strict";
import { DEFAULT_SETTINGS, type MonitorSettings } from "./config.ts";
import { type GroupObservation, type Observation, recordSample } from "./sample_store.ts";
import { withMonitorDb } from "./test_db.ts";

const settings: MonitorSettings = { ...DEFAULT_SETTINGS, sampleMs: 1_000, windowMs: 5_000 };
const T0 = 1_700_000_000_000;

function group(committed: number, owned = true): GroupObservation {
  return {
    groupId: "g",
    state: owned ? "Stable" : "Empty",
    protocolType: "consumer",
    members: owned
      ? [{
        memberId: "m1",
        clientId: "c1",
        host: "/127.0.0.1",
        assignment: [{ topic: "t", partitions: [0] }],
      }]
      : [],
    offsets: [{ topic: "t", partition: 0, committed }],
  };
}

const observe = (second: number, end: number, g: GroupObservation): Observation => ({
  t: T0 + second * 1_000,
  ends: [{ topic: "t", partition: 0, end }],
  groups: [g],
});

Deno.test("recordSample - lag, lag in time and status from the stored history", async (t) => {
  await withMonitorDb(async (db) => {
    // 10 messages a second arrive; the group keeps up for 10 s, then stops.
    for (let s = 0; s <= 10; s++) recordSample(db, observe(s, s * 10, group(s * 10)), settings);
    await t.step("keeping up: no lag, OK", () => {
      const [g] = recordSample(db, observe(11, 110, group(110)), settings);
      assert.deepEqual([g.lag, g.lagMs, g.status], [0, 0, "OK"]);
      assert.equal(g.partitions[0].owner, "c1");
    });
    await t.step("stopped at 110 while the end moves on: lag and lag in time grow", () => {
      let last;
      for (let s = 12; s <= 16; s++) {
        [last] = recordSample(db, observe(s, s * 10, group(110, false)), settings);
      }
      assert.equal(last!.lag, 50);
      assert.equal(last!.lagMs, 5_000, "the end was at 110 five seconds ago");
    });
    await t.step("after a whole window without moving and without members: STOP", () => {
      const [g] = recordSample(db, observe(17, 170, group(110, false)), settings);
      assert.equal(g.status, "STOP");
      assert.equal(g.lagMs, 6_000);
      const row = db.prepare("SELECT status, lag FROM group_state WHERE grp = 'g'").get();
      assert.deepEqual({ ...row }, { status: 4, lag: 60 });
    });
    await t.step("offsets reset backwards: REWIND", () => {
      const [g] = recordSample(db, observe(18, 180, group(0, false)), settings);
      assert.equal(g.status, "REWIND");
      assert.equal(g.lag, 180);
      assert.equal(g.lagMs, 18_000, "the end was at 0 eighteen seconds ago");
    });
    await t.step("resumed and caught up: OK", () => {
      const [g] = recordSample(db, observe(19, 190, group(190)), settings);
      assert.deepEqual([g.lag, g.status], [0, "OK"]);
    });
  });
});

Deno.test("recordSample - a flat end offset is stored as two points", async () => {
  await withMonitorDb((db) => {
    for (let s = 0; s < 10; s++) recordSample(db, observe(s, 500, group(500)), settings);
    const points = db.prepare("SELECT t, end_offset FROM end_offsets ORDER BY t").all();
    assert.deepEqual(points.map((p) => [Number(p.t) - T0, p.end_offset]), [[0, 500], [9_000, 500]]);
    // Stopped at 500 since; the end moves at t=10 s: behind by how long the end has been past 500.
    const [g] = recordSample(db, observe(12, 520, group(500, false)), settings);
    assert.equal(g.lagMs, 3_000, "since the last moment the end was at 500 (t=9 s)");
  });
});

Deno.test("recordSample - a group gone from the cluster leaves the latest tables", async () => {
  await withMonitorDb((db) => {
    recordSample(db, observe(0, 10, group(10)), settings);
    recordSample(db, { t: T0 + 1_000, ends: [], groups: [] }, settings);
    assert.equal(db.prepare("SELECT COUNT(*) AS n FROM group_state").get()?.n, 0);
    assert.equal(db.prepare("SELECT COUNT(*) AS n FROM partition_latest").get()?.n, 0);
    assert.deepEqual(
      db.prepare("SELECT res FROM group_samples ORDER BY res").all().map((r) => r.res),
      [1_000, 60_000, 300_000, 1_200_000],
      "history stays (at every resolution: the sample, the minute, the rollups)",
    );
  });
});

Deno.test("recordSample - an unreadable group is ERROR with its reason", async () => {
  await withMonitorDb((db) => {
    const [g] = recordSample(db, {
      t: T0,
      ends: [],
      groups: [{ ...group(0), offsets: [], error: "Not authorized to access group" }],
    }, settings);
    assert.equal(g.status, "ERROR");
    assert.equal(
      db.prepare("SELECT error FROM group_state").get()?.error,
      "Not authorized to access group",
    );
  });
});

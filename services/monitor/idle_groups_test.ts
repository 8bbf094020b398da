import assert from "node:assert/strict";
import { DEFAULT_SETTINGS, type MonitorSettings } from "./config.ts";
import { carriedForward, IdleGroups, timeProof } from "./idle_groups.ts";
import {
  type GroupObservation,
  type GroupSummary,
  type Observation,
  recordSample,
} from "./sample_store.ts";
import { withMonitorDb } from "./test_db.ts";

const settings: MonitorSettings = { ...DEFAULT_SETTINGS, sampleMs: 1_000, windowMs: 5_000 };
const T0 = 1_700_000_000_000;

function group(id: string, committed: number, owned: boolean): GroupObservation {
  return {
    groupId: id,
    state: owned ? "Stable" : "Empty",
    protocolType: "consumer",
    members: owned
      ? [{
        memberId: "m1",
        clientId: "c1",
        host: "/h",
        assignment: [{ topic: "t", partitions: [0] }],
      }]
      : [],
    offsets: [{ topic: "t", partition: 0, committed }],
  };
}

/**
 * A schedule of 40 one-second samples of three groups on one partition:
 * the end grows for 10 s then stays; `keeping` keeps up, `stopped` stops at
 * 50 and leaves (STOP), `stalled` keeps a member but stops at 70 (STALL),
 * and is reset to 20 by an operator at second 30 (REWIND, then STALL again
 * once the reset leaves the 5-s window), members unchanged.
 */
function schedule(second: number): Observation {
  const end = Math.min(second, 10) * 10;
  return {
    t: T0 + second * 1_000,
    ends: [{ topic: "t", partition: 0, end }],
    groups: [
      group("keeping", end, true),
      group("stopped", Math.min(end, 50), second < 15),
      group("stalled", second >= 30 ? 20 : Math.min(end, 70), true),
    ],
  };
}

Deno.test("idle groups - carried forward, every sample reads as a full summary would", async () => {
  await withMonitorDb(async (full) => {
    await withMonitorDb((idleDb) => {
      const idle = new IdleGroups({ fullEveryMs: 10_000 });
      for (let s = 0; s < 40; s++) {
        const obs = schedule(s);
        const expected = recordSample(full, obs, settings);
        const carried = idle.carry(obs);
        const got = recordSample(idleDb, obs, settings, carried);
        idle.remember(obs, got, carried);
        assert.deepEqual(got, expected, `second ${s}, carried ${[...carried.keys()]}`);
        const rows = (db: typeof full) =>
          db.prepare("SELECT * FROM partition_samples ORDER BY grp, t").all();
        assert.deepEqual(rows(idleDb), rows(full), `rows at second ${s}`);
      }
      // keeping (lag 0) and stopped (STOP) idle most of the time; stalled summarised after its reset.
      assert.ok(idle.carried > 40, `${idle.carried} summaries carried forward`);
      const statuses = recordSample(idleDb, schedule(40), settings).map((g) => [g.group, g.status]);
      assert.deepEqual(statuses, [["keeping", "OK"], ["stopped", "STOP"], ["stalled", "STALL"]]);
    });
  });
});

Deno.test("idle groups - what may be carried, and how", async (t) => {
  const summary = (status: GroupSummary["status"], lag: number, lagMs: number | null) => ({
    group: "g",
    state: "Empty",
    members: 0,
    lag,
    lagMs,
    status,
    partitions: [{
      topic: "t",
      partition: 0,
      committed: 1,
      end: 1 + lag,
      lag,
      lagMs,
      status,
      owner: null,
    }],
  });
  await t.step(
    "no lag, STALL and STOP cannot change with time alone; WARN, REWIND, a young lag can",
    () => {
      assert.equal(timeProof(summary("OK", 0, 0)), true);
      assert.equal(timeProof(summary("STOP", 3, 900)), true);
      assert.equal(timeProof(summary("STALL", 3, null)), true);
      assert.equal(
        timeProof(summary("OK", 3, 900)),
        false,
        "may become STOP once the window fills",
      );
      assert.equal(timeProof(summary("WARN", 3, 900)), false);
      assert.equal(timeProof(summary("REWIND", 3, 900)), false);
      assert.equal(timeProof({ ...summary("OK", 0, 0), error: "x", status: "ERROR" }), false);
    },
  );
  await t.step("lag in time grows by the time passed; unknown stays unknown; none stays 0", () => {
    assert.equal(carriedForward(summary("STOP", 3, 900), 0, 5_000).lagMs, 5_900);
    assert.equal(carriedForward(summary("STOP", 3, 900), 0, 5_000).partitions[0].lagMs, 5_900);
    assert.equal(carriedForward(summary("STOP", 3, null), 0, 5_000).lagMs, null);
    assert.equal(carriedForward(summary("OK", 0, 0), 0, 5_000).lagMs, 0);
  });
  await t.step("anything moved, or the full period passed: summarised again", () => {
    const idle = new IdleGroups({ fullEveryMs: 3_000 });
    const obs = (second: number, committed: number, end = 10): Observation => ({
      t: T0 + second * 1_000,
      ends: [{ topic: "t", partition: 0, end }],
      groups: [group("g", committed, false)],
    });
    const remember = (o: Observation, s: GroupSummary) => {
      const carried = idle.carry(o);
      idle.remember(o, [carried.get("g") ?? s], carried);
      return carried.has("g");
    };
    const stop = summary("STOP", 3, 1_000);
    assert.equal(remember(obs(0, 7), stop), false, "first sight");
    assert.equal(remember(obs(1, 7), stop), true);
    assert.equal(remember(obs(2, 7), stop), true);
    assert.equal(remember(obs(3, 7), stop), false, "3 s since the full summary");
    assert.equal(remember(obs(4, 7), stop), true);
    assert.equal(remember(obs(5, 6), stop), false, "the committed offset moved");
    assert.equal(remember(obs(6, 6, 11), stop), false, "the end moved");
    assert.equal(remember(obs(7, 5, 11), summary("WARN", 3, 1)), false, "moved again: WARN");
    assert.equal(remember(obs(8, 5, 11), summary("WARN", 3, 1)), false, "WARN is never carried");
  });
});

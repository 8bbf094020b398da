import assert from "node:assert/strict";
import { migrate, openDatabase } from "../../../shared/sqlite/sqlite.ts";
import {
  beginRun,
  claimReplay,
  createReplay,
  getReplay,
  listReplays,
  releaseReplay,
  REPLAYS_MIGRATION,
  settleReplay,
} from "./replay_store.ts";
import type { ReplayRequest } from "./replay_input.ts";

const request: ReplayRequest = {
  target: "copy",
  from: { kind: "oldest" },
  until: { kind: "end" },
  filter: {},
  ratePerSec: 100,
  dryRun: false,
};

function fresh() {
  const db = openDatabase(":memory:");
  migrate(db, [REPLAYS_MIGRATION]);
  const id = createReplay(db, {
    source: "orders",
    target: "copy",
    request,
    user: "op",
    ranges: [{ partition: 0, from: 10, until: 100 }, { partition: 1, from: 0, until: 50 }],
  });
  return { db, id };
}

Deno.test("replay log - claimed before sent, settled after, never sent twice", async (t) => {
  await t.step("a new replay stands at the start of its ranges", () => {
    const { db, id } = fresh();
    const replay = getReplay(db, id)!;
    assert.equal(replay.state, "running");
    assert.deepEqual(replay.partitions.map((p) => [p.partition, p.position, p.claimed]), [
      [0, 10, 10],
      [1, 0, 0],
    ]);
    assert.deepEqual(listReplays(db, { source: "orders" }).map((r) => r.id), [id]);
    assert.deepEqual(listReplays(db, { source: "other" }), []);
  });
  await t.step("a settled claim moves the position and counts what was sent", () => {
    const { db, id } = fresh();
    claimReplay(db, id, 0, 40);
    settleReplay(db, id, 0, 40, { sent: 12, scanned: 30 });
    const replay = beginRun(db, id);
    assert.deepEqual(replay.unknown, []);
    assert.deepEqual([replay.partitions[0].position, replay.sent, replay.scanned], [40, 12, 30]);
  });
  await t.step("a claim never settled is skipped when resumed, and named", () => {
    const { db, id } = fresh();
    claimReplay(db, id, 0, 40);
    settleReplay(db, id, 0, 40, { sent: 12, scanned: 30 });
    claimReplay(db, id, 0, 70); // the process stopped during this send
    const replay = beginRun(db, id);
    assert.deepEqual(replay.unknown, [{ partition: 0, from: 40, until: 70 }]);
    assert.equal(replay.partitions[0].position, 70);
    assert.equal(beginRun(db, id).unknown.length, 1, "recorded once");
  });
  await t.step("a definitely refused send releases its claim: it is sent on resume", () => {
    const { db, id } = fresh();
    claimReplay(db, id, 1, 20);
    releaseReplay(db, id, 1);
    const replay = beginRun(db, id);
    assert.deepEqual(replay.unknown, []);
    assert.equal(replay.partitions[1].position, 0);
  });
});

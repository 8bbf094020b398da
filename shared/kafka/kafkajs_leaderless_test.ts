import assert from "node:assert/strict";
// @ts-types="./kafkajs_metadata.d.ts"
import v6 from "kafkajs/src/protocol/requests/metadata/v6/response.js";
// @ts-types="./kafkajs_metadata.d.ts"
import v1 from "kafkajs/src/protocol/requests/metadata/v1/response.js";
import { clearLeaderlessErrors, keepLeaderlessPartitions } from "./kafkajs_leaderless.ts";

/** A decoded Metadata answer: topic `t`, partition 0 with `code` (leader −1 for 5), partition 1 fine. */
function answer(code: number, topicCode = 0) {
  return {
    throttleTime: 0,
    brokers: [{ nodeId: 1, host: "127.0.0.1", port: 9092, rack: null }],
    clusterId: "c",
    controllerId: 1,
    topicMetadata: [{
      topicErrorCode: topicCode,
      topic: "t",
      isInternal: false,
      partitionMetadata: [
        {
          partitionErrorCode: code,
          partitionId: 0,
          leader: code === 5 ? -1 : 1,
          replicas: [3],
          isr: [],
          offlineReplicas: [3],
        },
        {
          partitionErrorCode: 0,
          partitionId: 1,
          leader: 1,
          replicas: [1],
          isr: [1],
          offlineReplicas: [],
        },
      ],
    }],
  };
}

type Parsed = ReturnType<typeof answer>;

Deno.test("KafkaJS metadata - a leaderless partition is kept (leader -1), not the whole answer failed", async (t) => {
  await t.step("KafkaJS alone fails the answer (what the patch is for)", async () => {
    await assert.rejects(v6.parse(answer(5)), /no leader for this topic-partition/);
  });
  keepLeaderlessPartitions();
  keepLeaderlessPartitions(); // idempotent: wrapped once
  for (const [name, response] of [["v6", v6], ["v1", v1]] as const) {
    await t.step(
      `${name}: LEADER_NOT_AVAILABLE kept, leader -1, the other partition as it was`,
      async () => {
        const parsed = await response.parse(answer(5)) as Parsed;
        const [offline, online] = parsed.topicMetadata[0].partitionMetadata;
        assert.deepEqual([offline.leader, offline.partitionErrorCode], [-1, 0]);
        assert.deepEqual([online.leader, online.partitionErrorCode], [1, 0]);
      },
    );
  }
  await t.step("REPLICA_NOT_AVAILABLE kept too (a follower down)", async () => {
    const parsed = await v6.parse(answer(9)) as Parsed;
    assert.equal(parsed.topicMetadata[0].partitionMetadata[0].leader, 1);
  });
  await t.step("other partition errors and topic errors still fail it", async () => {
    await assert.rejects(v6.parse(answer(6)), /not the leader/);
    await assert.rejects(v6.parse(answer(0, 3)), /does not host this topic-partition/);
  });
  await t.step("an answer without such a partition is passed as it is", () => {
    const plain = answer(0);
    assert.equal(clearLeaderlessErrors(plain), plain);
  });
});

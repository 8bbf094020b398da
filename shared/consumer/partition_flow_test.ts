import assert from "node:assert/strict";
import { Kafka, logLevel } from "kafkajs";
import { createLogger } from "../core/log.ts";
import type { CommitProtocol } from "./commit_protocol.ts";
import { PartitionFlow } from "./partition_flow.ts";
import { PartitionStates } from "./partition_state.ts";

/**
 * A real KafkaJS consumer before `run()`: it has no consumer group, as when
 * KafkaJS restarts its consumer after a crash (for a few seconds its
 * `pause` and `resume` throw "Consumer group was not initialized").
 */
function consumerWithoutGroup() {
  return new Kafka({ brokers: ["127.0.0.1:1"], logLevel: logLevel.NOTHING })
    .consumer({ groupId: "no-group" });
}

Deno.test("partition flow - pause and resume while KafkaJS restarts its consumer never throw", async (t) => {
  const consumer = consumerWithoutGroup();
  await t.step("KafkaJS itself throws then", () => {
    assert.throws(() => consumer.resume([{ topic: "t", partitions: [0] }]), /not initialized/);
  });
  const partitions = new PartitionStates();
  partitions.assign({ t: [0] });
  const state = partitions.get("t", 0)!;
  const flow = new PartitionFlow({
    consumer: () => consumer,
    protocol: () => ({}) as CommitProtocol,
    partitions,
    log: createLogger("flow-test"),
    consuming: () => true,
  });
  await t.step("a retry timer that ends then resumes nothing and throws nothing", async () => {
    state.checked = true;
    let resumed = false;
    partitions.pause(state, 10, () => {
      flow.resumeIfFree(state);
      resumed = true;
    });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(resumed, true, "the timer ran to its end");
  });
  await t.step("a pause then says it was not applied (the next assignment applies it)", () => {
    assert.equal(flow.pause(state), false);
  });
});

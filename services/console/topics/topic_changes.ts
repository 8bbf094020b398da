/**
 * Operator changes to topics through the admin API: create, add
 * partitions, change configs, delete. AlterConfigs (which KafkaJS speaks)
 * replaces a topic's whole set of overrides, so a change sends the
 * overrides already there with the new values and without the removed
 * ones.
 */
import { type Admin, ConfigResourceTypes, ConfigSource } from "kafkajs";
import { HttpError } from "../../../shared/web/http_error.ts";
import { describeTopicConfigs } from "../../../shared/provision/topic_configs.ts";
import { waitUntilReady } from "../../../shared/provision/mod.ts";
import type { ConfigChanges, NewTopic } from "./topic_input.ts";

/** Creates `topic` and waits until every partition has a leader. */
export async function createTopic(admin: Admin, topic: NewTopic): Promise<void> {
  const created = await admin.createTopics({
    waitForLeaders: false,
    topics: [{
      topic: topic.name,
      numPartitions: topic.partitions,
      replicationFactor: topic.replicationFactor,
      configEntries: Object.entries(topic.configs).map(([name, value]) => ({ name, value })),
    }],
  });
  if (!created) throw new HttpError(409, `topic ${topic.name} already exists`);
  await waitUntilReady(admin, [topic], { timeoutMs: 30_000 });
}

/** Grows `topic` to `partitions` partitions. */
export async function addPartitions(admin: Admin, topic: string, partitions: number) {
  await admin.createPartitions({ topicPartitions: [{ topic, count: partitions }] });
  await waitUntilReady(admin, [{ name: topic, partitions }], { timeoutMs: 30_000 });
}

/** Applies `changes` to the overrides of `topic`; returns the overrides before and after. */
export async function changeTopicConfigs(
  admin: Admin,
  topic: string,
  changes: ConfigChanges,
): Promise<{ before: Record<string, string>; after: Record<string, string> }> {
  const entries = (await describeTopicConfigs(admin, [topic])).get(topic) ?? [];
  const before: Record<string, string> = {};
  for (const e of entries) {
    if (e.configSource === ConfigSource.TOPIC_CONFIG) before[e.configName] = e.configValue;
  }
  const unknown = [...Object.keys(changes.set), ...changes.remove].filter((name) =>
    !entries.some((e) => e.configName === name)
  );
  if (unknown.length > 0) {
    throw new HttpError(400, `unknown topic config(s): ${unknown.join(", ")}`);
  }
  const notOverridden = changes.remove.filter((name) => !(name in before));
  if (notOverridden.length > 0) {
    throw new HttpError(400, `not overridden on this topic: ${notOverridden.join(", ")}`);
  }
  const after = { ...before, ...changes.set };
  for (const name of changes.remove) delete after[name];
  await admin.alterConfigs({
    validateOnly: false,
    resources: [{
      type: ConfigResourceTypes.TOPIC,
      name: topic,
      configEntries: Object.entries(after).map(([name, value]) => ({ name, value })),
    }],
  });
  return { before, after };
}

/** How long a delete waits for the broker's topic list to drop the topic. */
const UNLISTED_WAIT_MS = 5_000;

/**
 * Deletes `topic`, then waits (up to UNLISTED_WAIT_MS) until the broker no
 * longer lists it. KRaft answers DeleteTopics once the controller committed
 * the deletion; the broker answering Metadata drops the topic from its
 * image a moment later (up to ~60 ms under load), so the topics page an
 * operator is sent to right after could still show the topic just deleted.
 * Past the wait the delete still counts: the list catches up by itself.
 */
export async function deleteTopic(admin: Admin, topic: string): Promise<void> {
  await admin.deleteTopics({ topics: [topic], timeout: 30_000 });
  const deadline = Date.now() + UNLISTED_WAIT_MS;
  while ((await admin.listTopics()).includes(topic) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

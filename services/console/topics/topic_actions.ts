/**
 * The topic changes of the console, as the pages and the JSON API both run
 * them: the operator role first (a viewer gets 403 whatever the input),
 * then the input checked (problems returned, nothing sent), Kafka's
 * internal topics refused (internal_topics.ts, 403, audited), then the
 * broker call, audited with its result.
 */
import { HttpError } from "../../../shared/web/http_error.ts";
import { type ActionContext, audited, requireOperator } from "../audited.ts";
import { addPartitions, changeTopicConfigs, createTopic, deleteTopic } from "./topic_changes.ts";
import { assertTopicExists } from "./topic_detail.ts";
import { hasInternalName, refuseInternalName, refuseInternalTopic } from "./internal_topics.ts";
import {
  type ConfigChanges,
  type NewTopic,
  type Parsed,
  parseNewTopic,
  parsePartitionCount,
} from "./topic_input.ts";
import { consoleWeb } from "../web/console_part.ts";

/** Creates the topic `input` describes (form fields or a JSON body). */
export async function createTopicAction(
  ctx: ActionContext,
  input: Parameters<typeof parseNewTopic>[0],
): Promise<Parsed<NewTopic>> {
  const name = String(input.name ?? "").slice(0, 249);
  requireOperator(ctx, "topic.create", `topic:${name}`);
  if (hasInternalName(name)) refuseInternalName(ctx, name, "topic.create");
  const admin = await ctx.services.part(consoleWeb).kafka.admin();
  const brokers = (await admin.describeCluster()).brokers.length;
  const parsed = parseNewTopic(input, brokers);
  if (!parsed.ok) return parsed;
  const topic = parsed.value;
  await audited(ctx, {
    action: "topic.create",
    target: `topic:${topic.name}`,
    params: { ...topic },
    what: `creating topic ${topic.name}`,
  }, () => createTopic(admin, topic));
  return parsed;
}

/** Grows `topic` to the partition count given. */
export async function addPartitionsAction(
  ctx: ActionContext,
  topic: string,
  countText: unknown,
): Promise<Parsed<number>> {
  requireOperator(ctx, "topic.partitions.add", `topic:${topic}`);
  const admin = await ctx.services.part(consoleWeb).kafka.admin();
  await assertTopicExists(admin, topic);
  await refuseInternalTopic(ctx, topic, "topic.partitions.add");
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  const current = topics[0].partitions.length;
  const parsed = parsePartitionCount(countText, current);
  if (!parsed.ok) return parsed;
  await audited(ctx, {
    action: "topic.partitions.add",
    target: `topic:${topic}`,
    params: { from: current, to: parsed.value },
    what: `adding partitions to ${topic}`,
  }, () => addPartitions(admin, topic, parsed.value));
  return parsed;
}

/** Applies config `changes` to `topic`. */
export async function changeConfigsAction(
  ctx: ActionContext,
  topic: string,
  changes: Parsed<ConfigChanges>,
): Promise<Parsed<{ before: Record<string, string>; after: Record<string, string> }>> {
  requireOperator(ctx, "topic.configs.alter", `topic:${topic}`);
  if (!changes.ok) return changes;
  if (Object.keys(changes.value.set).length + changes.value.remove.length === 0) {
    return { ok: false, problems: ["no config change given"] };
  }
  const admin = await ctx.services.part(consoleWeb).kafka.admin();
  await assertTopicExists(admin, topic);
  await refuseInternalTopic(ctx, topic, "topic.configs.alter");
  const value = await audited(ctx, {
    action: "topic.configs.alter",
    target: `topic:${topic}`,
    params: { set: changes.value.set, remove: changes.value.remove },
    what: `altering the configs of ${topic}`,
  }, () => changeTopicConfigs(admin, topic, changes.value));
  return { ok: true, value };
}

/** Deletes `topic` when `confirm` is its exact name (typed confirmation). */
export async function deleteTopicAction(
  ctx: ActionContext,
  topic: string,
  confirm: unknown,
): Promise<void> {
  requireOperator(ctx, "topic.delete", `topic:${topic}`);
  const admin = await ctx.services.part(consoleWeb).kafka.admin();
  await assertTopicExists(admin, topic);
  await refuseInternalTopic(ctx, topic, "topic.delete");
  if (confirm !== topic) {
    throw new HttpError(400, `type the topic's name (${topic}) to confirm its deletion`);
  }
  await audited(ctx, {
    action: "topic.delete",
    target: `topic:${topic}`,
    what: `deleting topic ${topic}`,
  }, () => deleteTopic(admin, topic));
}

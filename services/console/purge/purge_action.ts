/**
 * A purge as an operator action: the operator role first, the topic
 * checked (404), Kafka's internal topics refused (403, audited), then a
 * fresh plan, the typed confirmation (the topic's name, as topic delete
 * asks), DeleteRecords, and one audit entry (`topic.purge`) with what was
 * asked and each partition's start before and after. A preview is open to
 * viewers: it changes nothing.
 */
import { HttpError } from "../../../shared/web/http_error.ts";
import { type ActionContext, audited, requireOperator } from "../audited.ts";
import { consoleHttpError } from "../kafka_http_error.ts";
import { refuseInternalTopic } from "../topics/internal_topics.ts";
import { assertTopicExists } from "../topics/topic_detail.ts";
import { consoleWeb } from "../web/console_part.ts";
import { planPurge, type PurgePlan, type PurgeResult, runPurge } from "./purge.ts";
import type { PurgeRequest } from "./purge_input.ts";

/** The plan of `request` on `topic`: the count shown before a purge. */
export async function previewPurge(
  ctx: ActionContext,
  topic: string,
  request: PurgeRequest,
): Promise<PurgePlan> {
  try {
    const { kafka } = ctx.services.part(consoleWeb);
    const admin = await kafka.admin();
    await assertTopicExists(admin, topic);
    return await planPurge(admin, await kafka.cluster(), topic, request);
  } catch (error) {
    throw consoleHttpError(error, `planning a purge of ${topic}`);
  }
}

/** Purges `request` from `topic` when `confirm` is the topic's exact name. */
export async function purgeAction(
  ctx: ActionContext,
  topic: string,
  request: PurgeRequest,
  confirm: unknown,
): Promise<PurgeResult> {
  requireOperator(ctx, "topic.purge", `topic:${topic}`);
  const admin = await ctx.services.part(consoleWeb).kafka.admin();
  await assertTopicExists(admin, topic).catch((e) => {
    throw consoleHttpError(e, `purging ${topic}`);
  });
  await refuseInternalTopic(ctx, topic, "topic.purge");
  if (confirm !== topic) {
    throw new HttpError(400, `type the topic's name (${topic}) to confirm the purge`);
  }
  return await audited(ctx, {
    action: "topic.purge",
    target: `topic:${topic}`,
    params: { partition: request.partition ?? "all", before: request.before },
    what: `purging ${topic}`,
  }, async () => {
    const cluster = await ctx.services.part(consoleWeb).kafka.cluster();
    const plan = await planPurge(admin, cluster, topic, request);
    const result = await runPurge(cluster, plan);
    return { ...result, planned: plan.records };
  });
}

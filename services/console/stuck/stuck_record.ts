/**
 * What the stuck-record page shows for one partition of a group: the skip
 * plan (the group's offset now, and why a skip cannot go ahead, if so),
 * the monitor's status, the record at the offset, its dead-letter history
 * and the links (the permalink; the browser and live tail from there).
 */
import { consoleDb } from "../../../shared/web/auth/mod.ts";
import type { WebServices } from "../../../shared/web/services.ts";
import type { ActionContext } from "../audited.ts";
import { type MessageJson, messageJson } from "../messages/web/page_json.ts";
import { messagesPagePath, permalinkPath } from "../messages/web/links.ts";
import { explainReadErrors } from "../messages/web/read_errors.ts";
import { readOne } from "../messages/one_message.ts";
import { consoleWeb } from "../web/console_part.ts";
import { type DeadLetterHistory, deadLetterHistory } from "./dead_letter_history.ts";
import { planSkip, type SkipPlan } from "./skip.ts";
import { type StuckPartition, stuckPartitions } from "./stuck_partitions.ts";

/** The page's data. */
export interface StuckRecord {
  plan: SkipPlan;
  /** The monitor's view of the partition when it is not OK. */
  monitor?: StuckPartition;
  message?: MessageJson;
  history: DeadLetterHistory;
  links: { record?: string; browse: string };
}

/** Loads the page of `group`'s `topic`/`partition`. */
export async function stuckRecord(
  ctx: ActionContext & { services: WebServices },
  group: string,
  topic: string,
  partition: number,
): Promise<StuckRecord> {
  const plan = await planSkip(ctx, group, topic, partition);
  const reader = ctx.services.part(consoleWeb).messages.pages();
  const found = plan.offset !== null && plan.offset < plan.end
    ? await explainReadErrors(() => readOne(reader, topic, partition, plan.offset!))
    : undefined;
  const topics = await (await ctx.services.part(consoleWeb).kafka.admin()).listTopics();
  const history = plan.offset === null
    ? { topics: [], letters: [], complete: true }
    : await explainReadErrors(() =>
      deadLetterHistory(ctx.services.part(consoleWeb).messages.pages(), consoleDb(ctx.services), {
        topic,
        partition,
        offset: plan.offset!,
        topics,
      })
    );
  const browse = new URLSearchParams({ partition: String(partition) });
  if (plan.offset !== null) {
    browse.set("seek", "offset");
    browse.set("offset", String(plan.offset));
  }
  return {
    plan,
    monitor: stuckPartitions(ctx.services, group).find((p) =>
      p.topic === topic && p.partition === partition
    ),
    message: found ? messageJson(topic, found.view) : undefined,
    history,
    links: {
      record: found ? permalinkPath(topic, partition, plan.offset!) : undefined,
      browse: `${messagesPagePath(topic)}?${browse}#tail-title`,
    },
  };
}

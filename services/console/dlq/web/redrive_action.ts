/**
 * A redrive as an operator action: operator role required, the console's
 * own reader and producer (principal `console`), never into one of
 * Kafka's internal topics (topics/internal_topics.ts), the redrive log in the
 * console database, and one audit entry (`dlq.redrive`) with what was
 * asked and how many went back, were skipped or failed. A plan (`dryRun`)
 * counts what would go back and where, changing nothing (audited as
 * `dry-run`).
 */
import { audit, consoleDb } from "../../../../shared/web/auth/mod.ts";
import { type ActionContext, audited, requireOperator } from "../../audited.ts";
import { asHttpError } from "../../messages/web/read_errors.ts";
import { refuseInternalTopic } from "../../topics/internal_topics.ts";
import { planRedrive, redrive, type RedrivePlan, type RedriveResult } from "../redrive.ts";
import type { RedriveInput } from "./redrive_input.ts";
import { consoleWeb } from "../../web/console_part.ts";
import { dlqTopicParam } from "./dlq_reads.ts";

/**
 * The dead-letter topic a redrive reads, checked in the order that names the
 * real problem: a Freshet `<topic>.dlq` whose `<topic>` is one of Kafka's
 * internal topics (`__*`) is a 403 naming it (and audited), before the 400
 * for a name that is not a dead-letter topic at all.
 */
export async function redriveTopicParam(ctx: ActionContext, topic: string): Promise<string> {
  await refuseInternalTopic(ctx, topic.replace(/\.dlq$/, ""), "dlq.redrive");
  return dlqTopicParam(topic);
}

/** Redrives `input` from `dlqTopic` as the request's (operator) user. */
export async function redriveAction(
  ctx: ActionContext,
  dlqTopic: string,
  input: RedriveInput,
): Promise<RedriveResult> {
  await refuseInternalTopic(ctx, dlqTopic.replace(/\.dlq$/, ""), "dlq.redrive");
  let result: RedriveResult | undefined;
  const params = {
    messages: input.messages?.slice(0, 50).map((m) => `${m.partition}:${m.offset}`),
    selected: input.messages?.length,
    filter: input.filter,
    all: input.messages === undefined,
    repeat: input.repeat,
    until: input.until,
  };
  await audited(ctx, {
    action: "dlq.redrive",
    target: `topic:${dlqTopic}`,
    params,
    what: `redriving dead letters of ${dlqTopic}`,
  }, async () => {
    const own = ctx.services.part(consoleWeb).messages.open("action", dlqTopic, ctx.state.user);
    try {
      result = await redrive({
        reader: own.client,
        producer: () => ctx.services.part(consoleWeb).kafka.producer(),
        db: consoleDb(ctx.services),
        user: ctx.state.user?.name ?? null,
      }, { dlqTopic, ...input });
    } catch (error) {
      throw asHttpError(error);
    } finally {
      await own.close();
    }
    return {
      redriven: result.redriven.length,
      skipped: result.skipped.length,
      failed: result.failed.length,
      sent: result.redriven.slice(0, 50).map((r) =>
        `${r.partition}:${r.offset} -> ${r.to.topic}/${r.to.partition}:${r.to.offset}`
      ),
    };
  });
  return result!;
}

/** What `input` would redrive from `dlqTopic`, changing nothing (operator; audited as a dry run). */
export async function planRedriveAction(
  ctx: ActionContext,
  dlqTopic: string,
  input: RedriveInput,
): Promise<RedrivePlan> {
  const target = `topic:${dlqTopic}`;
  requireOperator(ctx, "dlq.redrive", target);
  await refuseInternalTopic(ctx, dlqTopic.replace(/\.dlq$/, ""), "dlq.redrive");
  const own = ctx.services.part(consoleWeb).messages.open("action", dlqTopic, ctx.state.user);
  let plan: RedrivePlan;
  try {
    plan = await planRedrive({ reader: own.client, db: consoleDb(ctx.services) }, {
      dlqTopic,
      ...input,
    });
  } catch (error) {
    throw asHttpError(error);
  } finally {
    await own.close();
  }
  audit(ctx, {
    action: "dlq.redrive",
    target,
    result: "dry-run",
    detail: {
      all: input.messages === undefined,
      selected: input.messages?.length,
      filter: input.filter,
      repeat: input.repeat,
      count: plan.count,
      targets: plan.targets,
      skipped: plan.skipped.length,
    },
  });
  return plan;
}

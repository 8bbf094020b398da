/**
 * `POST /api/groups/:group/skip` `{topic, partition, offset, dryRun}`: copies
 * the record at the group's offset to `<topic>.dlq` and moves the group
 * past it by one (operator, audited as `group.skip`). `dryRun: true`
 * answers the plan — the offset now, and why it cannot go ahead, if so —
 * and records the preview. A Kafka group must be empty; a Freshet
 * consumer's group moves its stored offset, refused while it runs.
 */
import {
  type Handlers,
  HttpError,
  readJsonBody,
  type RouteAccess,
} from "../../../../shared/web/mod.ts";
import { audit, requireRole } from "../../../../shared/web/auth/mod.ts";
import { planSkip, skipAction } from "../../../../services/console/stuck/skip.ts";
import { consoleHttpError } from "../../../../services/console/kafka_http_error.ts";
import { TOPIC_NAME } from "../../../../services/console/messages/browse_query.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { POST: { role: "operator", audit: "group.skip" } };

/** POST: the skip (or its plan). */
export const handler: Handlers = {
  async POST(req, ctx) {
    const group = ctx.params.group;
    const raw = await readJsonBody(req);
    const body = raw !== null && typeof raw === "object" && !Array.isArray(raw)
      ? raw as Record<string, unknown>
      : {};
    const topic = String(body.topic ?? "");
    const { partition, offset } = body;
    const problems: string[] = [];
    if (!TOPIC_NAME.test(topic)) problems.push("topic: a Kafka topic name");
    if (!Number.isSafeInteger(partition) || (partition as number) < 0) {
      problems.push("partition: a partition number");
    }
    if (body.dryRun !== true && (!Number.isSafeInteger(offset) || (offset as number) < 0)) {
      problems.push(
        "offset: the offset to skip (the plan's), so a skip never moves past another record",
      );
    }
    if (problems.length > 0) {
      throw new HttpError(400, `nothing was skipped: ${problems.join("; ")}`);
    }
    try {
      if (body.dryRun === true) {
        requireRole(ctx, "operator");
        const plan = await planSkip(ctx, group, topic, partition as number);
        audit(ctx, {
          action: "group.skip",
          target: `group:${group}`,
          result: "dry-run",
          detail: { topic, partition, offset: plan.offset, refusal: plan.refusal },
        });
        return Response.json(plan);
      }
      return Response.json(
        await skipAction(ctx, group, {
          topic,
          partition: partition as number,
          offset: offset as number,
        }),
      );
    } catch (error) {
      throw consoleHttpError(error, `skipping for ${group}`);
    }
  },
};

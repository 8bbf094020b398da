/**
 * `PATCH /api/topics/:topic/configs` `{set: {name: value}, remove: [name]}`:
 * changes the topic's config overrides (operator, audited); answers the
 * overrides before and after.
 */
import {
  type Handlers,
  problemsResponse,
  readJsonBody,
  type RouteAccess,
} from "../../../../shared/web/mod.ts";
import { changeConfigsAction } from "../../../../services/console/topics/topic_actions.ts";
import { parseConfigObject } from "../../../../services/console/topics/topic_input.ts";
import { consoleHttpError } from "../../../../services/console/kafka_http_error.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { PATCH: { role: "operator", audit: "topic.configs.alter" } };

/** PATCH: alter configs. */
export const handler: Handlers = {
  async PATCH(req, ctx) {
    const topic = ctx.params.topic;
    const problems: string[] = [];
    const changes = parseConfigObject(await readJsonBody(req), problems);
    const parsed = problems.length > 0
      ? { ok: false as const, problems }
      : { ok: true as const, value: changes };
    const result = await changeConfigsAction(ctx, topic, parsed).catch((e) => {
      throw consoleHttpError(e, `altering the configs of ${topic}`);
    });
    if (!result.ok) return problemsResponse("no config was changed", result.problems);
    return Response.json({ topic, ...result.value });
  },
};

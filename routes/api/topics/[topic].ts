/**
 * `GET /api/topics/:topic`: partitions, configs, groups with lag, drift,
 * `internal` (Kafka's own topic, never changed from the console) (viewer). `DELETE /api/topics/:topic?confirm=<topic>`: deletes it
 * (operator, audited; the confirmation must repeat the name).
 */
import type { Handlers, RouteAccess } from "../../../shared/web/mod.ts";
import { readDeclaredTopics } from "../../../services/console/topics/declared_topics.ts";
import { describeTopic } from "../../../services/console/topics/topic_detail.ts";
import { deleteTopicAction } from "../../../services/console/topics/topic_actions.ts";
import { consoleHttpError } from "../../../services/console/kafka_http_error.ts";
import { isInternalTopic } from "../../../services/console/topics/internal_topics.ts";
import { consoleWeb } from "../../../services/console/web/console_part.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = {
  GET: "viewer",
  DELETE: { role: "operator", audit: "topic.delete" },
};

/** GET: the topic; DELETE: delete it. */
export const handler: Handlers = {
  async GET(_req, ctx) {
    const topic = ctx.params.topic;
    const declared = await readDeclaredTopics(ctx.services.topicPrefix);
    const detail = await ctx.services.part(consoleWeb).kafka.brokerCluster()
      .then((cluster) => describeTopic(cluster, topic, declared))
      .catch((e) => {
        throw consoleHttpError(e, `describing ${topic}`);
      });
    const internal = await isInternalTopic(ctx.services.part(consoleWeb).kafka, topic);
    return Response.json({ ...detail, internal }, { headers: { "cache-control": "no-store" } });
  },
  async DELETE(_req, ctx) {
    const topic = ctx.params.topic;
    await deleteTopicAction(ctx, topic, ctx.url.searchParams.get("confirm")).catch((e) => {
      throw consoleHttpError(e, `deleting ${topic}`);
    });
    return Response.json({ deleted: topic });
  },
};

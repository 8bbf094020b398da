/**
 * `GET /api/topics`: every topic with its shape, message count and drift
 * from kafka-topics.txt (viewer). `POST /api/topics`
 * `{name, partitions, replicationFactor, configs: {k: v}}`: creates one
 * (operator, audited).
 */
import {
  type Handlers,
  problemsResponse,
  readJsonBody,
  type RouteAccess,
} from "../../../shared/web/mod.ts";
import { readDeclaredTopics } from "../../../services/console/topics/declared_topics.ts";
import { listTopicSummaries } from "../../../services/console/topics/topic_list.ts";
import { createTopicAction } from "../../../services/console/topics/topic_actions.ts";
import { consoleHttpError } from "../../../services/console/kafka_http_error.ts";
import { consoleWeb } from "../../../services/console/web/console_part.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = {
  GET: "viewer",
  POST: { role: "operator", audit: "topic.create" },
};

/** GET: the list; POST: create. */
export const handler: Handlers = {
  async GET(_req, ctx) {
    const declared = await readDeclaredTopics(ctx.services.topicPrefix);
    const cluster = await ctx.services.part(consoleWeb).kafka.brokerCluster().catch((e) => {
      throw consoleHttpError(e, "listing topics");
    });
    const topics = await listTopicSummaries(cluster, declared).catch((e) => {
      throw consoleHttpError(e, "listing topics");
    });
    return Response.json({ topics, topicsFileProblem: declared.problem ?? null }, {
      headers: { "cache-control": "no-store" },
    });
  },
  async POST(req, ctx) {
    const body = (await readJsonBody(req)) as Record<string, unknown>;
    const result = await createTopicAction(ctx, body ?? {}).catch((e) => {
      throw consoleHttpError(e, "creating a topic");
    });
    if (!result.ok) return problemsResponse("the topic was not created", result.problems);
    return Response.json({ topic: result.value }, { status: 201 });
  },
};

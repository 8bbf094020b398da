/**
 * Creating a demand from the web (`POST /api/demands`, the `/demands`
 * form): validated, then produced to `demands.created` as the `web`
 * principal with its idempotent producer. The demand reaches this doctor's
 * database (and every other doctor's) through its consumer, like a demand
 * sent by kcat or the REST proxy.
 */
import { withTimeout } from "../../../shared/kafka/errors.ts";
import { kafkaHttpError } from "../../../shared/web/kafka_http_error.ts";
import { HttpError, type WebServices } from "../../../shared/web/mod.ts";
import type { Demand } from "../demand.ts";
import type { Problem } from "./demand_form.ts";
import { demandRecord, sendDemandRecords } from "../demand_record.ts";
import { parseNewDemand } from "../new_demand.ts";
import { demandTopics } from "./web.ts";

/** CloudEvents source of demands created through the web server. */
export const WEB_SOURCE = "freshet/web";

/** How long a request waits for Kafka's acknowledgement. */
export const PRODUCE_TIMEOUT_MS = 10_000;

/** A demand sent, and where Kafka put it. */
export interface CreatedDemand {
  demand: Demand;
  topic: string;
  partition: number;
  offset: number;
}

/**
 * Validates `input` and produces it. Resolves to the problems when it is
 * invalid; rejects with an HttpError (502/503/504) when Kafka refuses or
 * does not answer.
 */
export async function createDemand(
  services: WebServices,
  input: unknown,
): Promise<{ ok: true; created: CreatedDemand } | { ok: false; problems: Problem[] }> {
  const parsed = parseNewDemand(input);
  if (!parsed.ok) return parsed;
  const topic = demandTopics(services).created;
  const record = demandRecord(parsed.demand, { source: WEB_SOURCE });
  try {
    const producer = await services.kafka.producer();
    const place = await withTimeout(
      sendDemandRecords(producer, topic, [record]),
      PRODUCE_TIMEOUT_MS,
      () => new HttpError(504, `Kafka did not acknowledge within ${PRODUCE_TIMEOUT_MS} ms`),
    );
    return { ok: true, created: { demand: parsed.demand, topic, ...place } };
  } catch (error) {
    throw kafkaHttpError(error, {
      doing: `producing to ${topic}`,
      principal: "web",
      chosenBy: "server",
    });
  }
}

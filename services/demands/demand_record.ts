/**
 * Kafka records of `demands.created` as Freshet writes them: key = the
 * demand id (so everything about one demand stays in one partition, in
 * order), value = the seed's JSON, CloudEvents attributes in the headers.
 */
import type { Producer } from "kafkajs";
import { cloudEventHeaders } from "../../shared/kafka/cloudevents.ts";
import { type Demand, DEMANDS_CREATED } from "./demand.ts";

/** A record ready for `producer.send`. */
export interface DemandRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Where Kafka put a record. */
export interface RecordPlace {
  partition: number;
  offset: number;
}

/** The record of `demand`, announced by `source` (e.g. `freshet/web`). */
export function demandRecord(
  demand: Demand,
  options: { source: string; now?: Date },
): DemandRecord {
  return {
    key: demand.id,
    value: JSON.stringify(demand),
    headers: cloudEventHeaders({
      id: crypto.randomUUID(),
      type: DEMANDS_CREATED,
      source: options.source,
      time: (options.now ?? new Date()).toISOString(),
    }),
  };
}

/**
 * Sends `records` in one request (acks=all); returns where the first one
 * landed. The producer retries until acknowledged (idempotence): callers
 * bound the wait.
 */
export async function sendDemandRecords(
  producer: Producer,
  topic: string,
  records: DemandRecord[],
): Promise<RecordPlace> {
  const [meta] = await producer.send({ topic, acks: -1, messages: records });
  return { partition: meta.partition, offset: Number(meta.baseOffset) };
}

/**
 * The demands producer (OnDutyNow of seed 000, from a terminal): sends
 * demands to `demands.created`, keyed by demand id, with the kernel's
 * idempotent producer as the `web` principal — the same records as
 * `POST /api/demands`. `--count N` sends random demands (paced by
 * `--rate R` per second) with progress; without it, it asks for each field
 * at the prompt (`prompt()`; lines of stdin when piped) and checks each
 * answer with the demand's schema.
 *
 *   deno task produce:demands [--count N [--rate R]] [--interactive] [--help]
 */
import type { Producer } from "kafkajs";
import { stdinAsk } from "../../../shared/cli/ask.ts";
import { readEnv } from "../../../shared/core/config.ts";
import { askDemand } from "./ask_demand.ts";
import { DEMANDS_CREATED } from "../demand.ts";
import { type DemandRecord, demandRecord, sendDemandRecords } from "../demand_record.ts";
import {
  DEMANDS_PRODUCER_USAGE,
  type DemandsProducerMode,
  parseDemandsProducerArgs,
} from "./producer_args.ts";
import { sampleDemand } from "../sample_demands.ts";
import { describeSendError, withSendTimeout } from "../../../shared/cli/send_errors.ts";
import { createIdempotentProducer, createKafka } from "../../../shared/kafka/client.ts";
import { kafkaEnvNames, loadKafkaConfig } from "../../../shared/kafka/config.ts";
import { TOPIC_PREFIX_ENV, topicName } from "../../../shared/kafka/names.ts";

/** Variables the producer reads. */
export const PRODUCER_ENV = [...kafkaEnvNames("web"), TOPIC_PREFIX_ENV, "LOG_LEVEL"];

/** CloudEvents source of the CLI's records. */
export const PRODUCER_SOURCE = "freshet/demands-producer";

/** Most records in one request. */
const CHUNK = 500;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function send(producer: Producer, topic: string, records: DemandRecord[]) {
  return withSendTimeout(sendDemandRecords(producer, topic, records));
}

/**
 * Sends `count` random demands. With a rate, demand i is due `i / rate`
 * seconds after the start; whatever is due goes in one request, so a slow
 * request is caught up, never exceeded over time.
 */
async function sample(producer: Producer, topic: string, count: number, rate?: number) {
  const pace = rate ? `, ${rate} per second` : "";
  console.log(`sending ${count} random demands to ${topic}${pace}`);
  const started = performance.now();
  let sent = 0;
  let shown = started;
  while (sent < count) {
    const elapsedMs = performance.now() - started;
    const due = rate ? Math.min(count, Math.floor((elapsedMs / 1000) * rate) + 1) : count;
    const n = Math.min(CHUNK, due - sent);
    if (n <= 0) {
      await sleep(Math.max(1, (sent / rate!) * 1000 - elapsedMs));
      continue;
    }
    const records = Array.from(
      { length: n },
      () => demandRecord(sampleDemand(), { source: PRODUCER_SOURCE }),
    );
    await send(producer, topic, records);
    sent += n;
    const now = performance.now();
    if (now - shown >= 1_000 || sent === count) {
      shown = now;
      const perSecond = sent / Math.max((now - started) / 1000, 0.001);
      console.log(
        `sent ${sent}/${count} (${Math.floor(sent * 100 / count)}%), ${
          perSecond.toFixed(1)
        } msgs/s`,
      );
    }
  }
}

async function interactive(producer: Producer, topic: string) {
  const ask = stdinAsk();
  console.log(`Demands to ${topic}. An empty type (or Ctrl-D) quits.`);
  for (;;) {
    const demand = await askDemand(ask, (problem) => console.error(problem));
    if (demand === null) return;
    const where = await send(producer, topic, [
      demandRecord(demand, { source: PRODUCER_SOURCE }),
    ]);
    console.log(
      `sent ${demand.id} (${demand.type}, ${demand.metadata.priority}) → partition ${where.partition}, offset ${where.offset}`,
    );
  }
}

async function main(mode: Exclude<DemandsProducerMode, { mode: "help" }>): Promise<void> {
  const env = readEnv(PRODUCER_ENV);
  const topic = topicName(env, DEMANDS_CREATED);
  const config = loadKafkaConfig("web", env);
  const producer = createIdempotentProducer(
    createKafka(config, { clientSuffix: "demands-producer", retries: 2, quiet: true }),
  );
  try {
    await producer.connect();
    if (mode.mode === "sample") await sample(producer, topic, mode.count, mode.ratePerSecond);
    else await interactive(producer, topic);
  } catch (error) {
    console.error(
      `error: ${describeSendError(error, { topic, brokers: config.brokers, principal: "web" })}`,
    );
    Deno.exitCode = 1;
  } finally {
    await producer.disconnect();
  }
}

if (import.meta.main) {
  let mode: DemandsProducerMode;
  try {
    mode = parseDemandsProducerArgs(Deno.args);
  } catch (error) {
    console.error(`error: ${(error as Error).message}\n\n${DEMANDS_PRODUCER_USAGE}`);
    Deno.exit(2);
  }
  if (mode.mode === "help") console.log(DEMANDS_PRODUCER_USAGE);
  else await main(mode);
}

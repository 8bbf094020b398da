/**
 * The balances producer (seed 003's producer.py and producer_interactive.py
 * in one): sends account balances to the compacted topic `contas`, keyed by
 * account id, through the kernel's idempotent producer as the `balances`
 * principal. `--count N` sends random sample data with progress;
 * without it, it asks at the prompt (`prompt()`; lines of stdin when piped),
 * and an empty balance sends a tombstone.
 *
 *   deno task produce:balances [--count N [--accounts M]] [--interactive] [--help]
 */
import { Buffer } from "node:buffer";
import type { Producer } from "kafkajs";
import { stdinAsk } from "../../../shared/cli/ask.ts";
import { CONTAS, parseAccountId } from "../balance.ts";
import { type BalanceRecord, balanceRecord, sampleRecords } from "../balance_records.ts";
import {
  parseProducerArgs,
  parseSaldoInput,
  PRODUCER_USAGE,
  type ProducerMode,
} from "./producer_input.ts";
import { readEnv } from "../../../shared/core/config.ts";
import { createIdempotentProducer, createKafka } from "../../../shared/kafka/client.ts";
import { kafkaEnvNames, loadKafkaConfig } from "../../../shared/kafka/config.ts";
import { describeSendError, withSendTimeout } from "../../../shared/cli/send_errors.ts";
import { TOPIC_PREFIX_ENV, topicName } from "../../../shared/kafka/names.ts";

/** Variables the producer reads. */
export const PRODUCER_ENV = [...kafkaEnvNames("balances"), TOPIC_PREFIX_ENV, "LOG_LEVEL"];

const CHUNK = 500;

/** Sends `records` in one request; returns where the first one landed. */
async function send(producer: Producer, topic: string, records: BalanceRecord[]) {
  const [meta] = await withSendTimeout(
    producer.send({
      topic,
      acks: -1,
      messages: records.map((r) => ({
        key: r.key,
        value: r.value === null ? null : Buffer.from(r.value),
        headers: r.headers,
      })),
    }),
  );
  return { partition: meta.partition, offset: Number(meta.baseOffset) };
}

async function sample(producer: Producer, topic: string, count: number, accounts: number) {
  console.log(`sending ${count} random balances over accounts 1..${accounts} to ${topic}`);
  let sent = 0;
  let shown = 0;
  let chunk: BalanceRecord[] = [];
  for (const record of sampleRecords(count, accounts)) {
    chunk.push(record);
    if (chunk.length < CHUNK && sent + chunk.length < count) continue;
    await send(producer, topic, chunk);
    sent += chunk.length;
    chunk = [];
    if (Date.now() - shown >= 1_000 || sent === count) {
      shown = Date.now();
      console.log(`sent ${sent}/${count} (${Math.floor(sent * 100 / count)}%)`);
    }
  }
}

async function interactive(producer: Producer, topic: string) {
  const ask = stdinAsk();
  console.log(
    `Balances to ${topic}. An empty account id (or Ctrl-D) quits; ` +
      "an empty balance deletes the account (tombstone).",
  );
  for (;;) {
    const idText = await ask("Account id:");
    if (idText === null || idText.trim() === "") return;
    const id = parseAccountId(idText);
    if (!id.ok) {
      console.error(id.error);
      continue;
    }
    const saldoText = await ask("Balance (empty = delete):");
    if (saldoText === null) return;
    const saldo = parseSaldoInput(saldoText);
    if (!saldo.ok) {
      console.error(saldo.error);
      continue;
    }
    const where = await send(producer, topic, [balanceRecord(id.id, saldo.saldo)]);
    const what = saldo.saldo === null ? "tombstone (delete)" : `saldo ${saldo.saldo}`;
    console.log(`sent ${id.id}: ${what} → partition ${where.partition}, offset ${where.offset}`);
  }
}

async function main(mode: Exclude<ProducerMode, { mode: "help" }>): Promise<void> {
  const env = readEnv(PRODUCER_ENV);
  const topic = topicName(env, CONTAS);
  const config = loadKafkaConfig("balances", env);
  const producer = createIdempotentProducer(
    createKafka(config, { clientSuffix: "producer", retries: 2, quiet: true }),
  );
  try {
    await producer.connect();
    if (mode.mode === "sample") await sample(producer, topic, mode.count, mode.accounts);
    else await interactive(producer, topic);
  } catch (error) {
    console.error(
      `error: ${
        describeSendError(error, { topic, brokers: config.brokers, principal: "balances" })
      }`,
    );
    Deno.exitCode = 1;
  } finally {
    await producer.disconnect();
  }
}

if (import.meta.main) {
  let mode: ProducerMode;
  try {
    mode = parseProducerArgs(Deno.args);
  } catch (error) {
    console.error(`error: ${(error as Error).message}\n\n${PRODUCER_USAGE}`);
    Deno.exit(2);
  }
  if (mode.mode === "help") console.log(PRODUCER_USAGE);
  else await main(mode);
}

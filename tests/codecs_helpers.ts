/**
 * Producers and consumers that are not Freshet, for the interoperability
 * tests: kcat (librdkafka) and Kafka's own Java console tools through
 * `deno task kafka:cli`, logged in as the admin principal.
 */
import assert from "node:assert/strict";
import type { Kafka } from "kafkajs";
import { LogClient } from "../shared/kafka/wire/log_client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import { type DenoRun, runDeno } from "./helpers.ts";

/** kcat's options to reach the configured cluster as admin (SASL/PLAIN: Debian's librdkafka 2.0 cannot do SCRAM with Kafka 4). */
export function kcatLogin(): string[] {
  const admin = loadKafkaConfig("admin");
  const args = ["-b", admin.brokers.join(",")];
  if (admin.sasl) {
    args.push(
      "-X",
      `security.protocol=${admin.ssl ? "SASL_SSL" : "SASL_PLAINTEXT"}`,
      "-X",
      "sasl.mechanisms=PLAIN",
      "-X",
      `sasl.username=${admin.sasl.username}`,
      "-X",
      `sasl.password=${admin.sasl.password}`,
    );
  }
  return args;
}

/** Runs kcat with `args` (after the login) and `stdin`; fails with its output on a non-zero exit. */
export async function kcat(args: string[], stdin = ""): Promise<string> {
  const child = new Deno.Command("kcat", {
    args: [...kcatLogin(), ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const out = await child.output();
  const text = new TextDecoder();
  assert.equal(out.code, 0, `kcat ${args.join(" ")}: ${text.decode(out.stderr)}`);
  return text.decode(out.stdout);
}

/** Produces `key|value` lines with kcat, compressed with `codec` (`-z`), as one batch. */
export function kcatProduce(
  topic: string,
  records: { key: string; value: string }[],
  codec: string,
): Promise<string> {
  return kcat(
    ["-P", "-t", topic, "-z", codec, "-K", "|", "-X", "linger.ms=50"],
    records.map((r) => `${r.key}|${r.value}\n`).join(""),
  );
}

/** `deno task kafka:cli <args>` with `stdin`, failing with its output when it does not exit 0. */
export async function kafkaCli(args: string[], stdin = ""): Promise<string> {
  const run: DenoRun = await runDeno(["task", "kafka:cli", ...args], { stdin });
  assert.equal(run.code, 0, `kafka:cli ${args.join(" ")}: exit ${run.code}\n${run.stderr}`);
  return run.stdout;
}

/** Produces `key|value` lines with Kafka's Java console producer, compressed with `codec`. */
export function javaProduce(
  topic: string,
  records: { key: string; value: string }[],
  codec: string,
): Promise<string> {
  return kafkaCli(
    [
      "kafka-console-producer",
      "--topic",
      topic,
      "--compression-codec",
      codec,
      "--reader-property",
      "parse.key=true",
      "--reader-property",
      "key.separator=|",
    ],
    records.map((r) => `${r.key}|${r.value}\n`).join(""),
  );
}

/** Reads `count` values from the start of `topic` with Kafka's Java console consumer. */
export async function javaConsume(topic: string, count: number): Promise<string[]> {
  const out = await kafkaCli([
    "kafka-console-consumer",
    "--topic",
    topic,
    "--from-beginning",
    "--max-messages",
    String(count),
    "--timeout-ms",
    "30000",
    "--formatter-property",
    "print.key=true",
    "--formatter-property",
    "key.separator=|",
  ]);
  return out.split("\n").filter((line) => line.length > 0);
}

/** How many batches of each codec id the topic holds (read raw: what the writers really sent). */
export async function batchCodecs(kafka: Kafka, topic: string): Promise<Map<number, number>> {
  const client = new LogClient(kafka);
  try {
    const marks = await client.watermarks(topic);
    const wants = [...marks].filter(([, m]) => m.high > m.low).map(([partition, m]) => ({
      partition,
      fetchOffset: m.low,
      maxBytes: 1_048_576,
    }));
    const codecs = new Map<number, number>();
    for (const fetched of await client.fetch(topic, wants)) {
      const view = new DataView(
        fetched.records.buffer,
        fetched.records.byteOffset,
        fetched.records.byteLength,
      );
      for (let at = 0; at + 61 <= view.byteLength; at += 12 + view.getInt32(at + 8)) {
        const codec = view.getInt16(at + 21) & 0x07;
        codecs.set(codec, (codecs.get(codec) ?? 0) + 1);
      }
    }
    return codecs;
  } finally {
    await client.close();
  }
}

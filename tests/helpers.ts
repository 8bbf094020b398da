/** Test helpers: random names, admin clients, topics that clean up after themselves. */
import { Buffer } from "node:buffer";
import { createKafka, withAdmin } from "../shared/kafka/client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import { waitUntilReady } from "../shared/provision/mod.ts";
import { type Kafka, Partitioners } from "kafkajs";

/** A unique name for a topic or group of one test. */
export function randomName(prefix = "t"): string {
  return `${prefix}-${crypto.randomUUID().slice(0, 12)}`;
}

/** An admin-principal client (super user) for test set-up. */
export function adminKafka(): Kafka {
  return createKafka(loadKafkaConfig("admin"), { clientSuffix: "test" });
}

/**
 * Creates topics, waiting until every partition's leader serves (and
 * returns a function that deletes them).
 */
export async function createTopics(
  kafka: Kafka,
  topics: { topic: string; numPartitions?: number }[],
): Promise<() => Promise<void>> {
  await withAdmin(kafka, async (admin) => {
    // Not KafkaJS's waitForLeaders: on a loaded broker its metadata poll can meet
    // UNKNOWN_TOPIC_OR_PARTITION for a topic just created and throws; waitUntilReady
    // asks again until a leader answers.
    await admin.createTopics({
      waitForLeaders: false,
      topics: topics.map((t) => ({ topic: t.topic, numPartitions: t.numPartitions ?? 1 })),
    });
    await waitUntilReady(
      admin,
      topics.map((t) => ({ name: t.topic, partitions: t.numPartitions ?? 1 })),
      { timeoutMs: 30_000 },
    );
  });
  return () =>
    withAdmin(kafka, (admin) => admin.deleteTopics({ topics: topics.map((t) => t.topic) }));
}

/**
 * Produces raw values (strings, or null for tombstones) with the admin
 * principal, to the partition given or the one the key hashes to.
 */
/** Removes a test's temporary folder, whatever is in it; a folder already gone is fine. */
export async function removeDir(dir: string): Promise<void> {
  await Deno.remove(dir, { recursive: true }).catch((error) => {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  });
}

export async function produce(
  kafka: Kafka,
  topic: string,
  messages: {
    key?: string | null;
    value: string | null;
    headers?: Record<string, string>;
    partition?: number;
  }[],
): Promise<void> {
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += 1_000) {
      await producer.send({
        topic,
        acks: -1,
        messages: messages.slice(i, i + 1_000).map((m) => ({
          key: m.key ?? null,
          value: m.value === null ? null : Buffer.from(m.value),
          headers: m.headers,
          partition: m.partition,
        })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/** Polls `check` until it returns true or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** What `runDeno` saw: exit code, output, and how long it ran. */
export interface DenoRun {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `deno <args>` to its end with `stdin` piped in (then closed). */
export async function runDeno(
  args: string[],
  options: { env?: Record<string, string>; stdin?: string } = {},
): Promise<DenoRun> {
  const started = Date.now();
  const child = new Deno.Command("deno", {
    args,
    env: options.env,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(options.stdin ?? ""));
  await writer.close();
  const output = await child.output();
  const text = new TextDecoder();
  return {
    code: output.code,
    stdout: text.decode(output.stdout),
    stderr: text.decode(output.stderr),
    ms: Date.now() - started,
  };
}

/**
 * Joins `groupId` and fetches `topic` once (subscribing alone touches
 * neither), then disconnects; rejects with the broker's refusal, if any.
 */
export async function joinAndFetch(kafka: Kafka, topic: string, groupId: string): Promise<void> {
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, retry: { retries: 0 } });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const crashed = new Promise<unknown>((resolve) =>
      consumer.on(consumer.events.CRASH, (event) => resolve(event.payload.error))
    );
    const fetched = new Promise<void>((resolve) =>
      consumer.on(consumer.events.FETCH, () => resolve())
    );
    await consumer.run({ eachMessage: async () => {} });
    const outcome = await Promise.race([crashed, fetched.then(() => null)]);
    if (outcome) throw outcome;
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Sends `signal` to `child` unless it already ended (Deno throws then): in a
 * `finally`, a TypeError from `kill` would hide the failure that ended it,
 * which its status then reports.
 */
export function signalIfRunning(child: Deno.ChildProcess, signal: Deno.Signal): void {
  try {
    child.kill(signal);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
}

/**
 * SIGTERM to `child` (if it still runs), then its status; SIGKILL if it has
 * not ended within `graceMs`, reported as `killed` (a stop that hangs must
 * fail the test, not hang it).
 */
export async function terminate(
  child: Deno.ChildProcess,
  graceMs = 40_000,
): Promise<Deno.CommandStatus & { killed: boolean }> {
  signalIfRunning(child, "SIGTERM");
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    signalIfRunning(child, "SIGKILL");
  }, graceMs);
  try {
    return { ...(await child.status), killed };
  } finally {
    clearTimeout(timer);
  }
}

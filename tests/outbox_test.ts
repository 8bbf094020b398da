/**
 * The outbox under crashes: the process is killed between the database
 * commit and the send (or between the send and marking it sent); after a
 * restart the event is in Kafka exactly once.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { kafkaEnvNames } from "../shared/kafka/config.ts";
import { readRange } from "../shared/kafka/topic_reader.ts";
import { adminKafka, createTopics, randomName, removeDir } from "./helpers.ts";

const script = new URL("./fixtures/outbox_crash.ts", import.meta.url).pathname;

async function run(dbPath: string, topic: string, eventId: string, mode: string) {
  const dir = dbPath.slice(0, dbPath.lastIndexOf("/"));
  const out = await new Deno.Command("deno", {
    args: [
      "run",
      "--allow-net=127.0.0.1:9092",
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
      `--allow-env=LOG_LEVEL,${kafkaEnvNames("admin").join(",")}`,
      script,
      dbPath,
      topic,
      eventId,
      mode,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, signal: out.signal, stdout: new TextDecoder().decode(out.stdout) };
}

Deno.test("outbox - an event is sent exactly once whatever moment the process dies", async (t) => {
  const kafka = adminKafka();
  const topic = randomName("outbox");
  const drop = await createTopics(kafka, [{ topic, numPartitions: 3 }]);
  try {
    for (const mode of ["commit-only", "die-before-send", "die-after-send"]) {
      await t.step(`killed at ${mode}, then restarted`, async () => {
        const dir = await Deno.makeTempDir({ prefix: "freshet-outbox-" });
        const db = `${dir}/service.db`;
        const eventId = crypto.randomUUID();
        try {
          const crashed = await run(db, topic, eventId, mode);
          assert.equal(crashed.signal, "SIGKILL", `the service died (${mode})`);
          const restarted = await run(db, topic, eventId, "relay");
          assert.equal(restarted.code, 0);
          const expectSent = mode === "die-after-send" ? 0 : 1;
          const summary = restarted.stdout.trim().split("\n").at(-1)!;
          assert.deepEqual(JSON.parse(summary), { sent: expectSent });

          const { messages, complete } = await readRange(kafka, {
            groupId: randomName("reader"),
            topics: [topic],
            from: "earliest",
          });
          assert.ok(complete);
          assert.equal(messages.filter((m) => m.headers.ce_id === eventId).length, 1);
          const state = new DatabaseSync(db, { readOnly: true });
          const row = state.prepare("SELECT state FROM outbox WHERE event_id = ?").get(eventId);
          state.close();
          assert.equal(row?.state, "sent");
        } finally {
          await removeDir(dir);
        }
      });
    }
  } finally {
    await drop();
  }
});

/**
 * The demands producer CLI as its own process with the task's explicit
 * permissions, as the real `web` principal: random demands with progress
 * (and paced by --rate), the interactive mode fed through a pipe, clear
 * errors for a bad answer and bad arguments.
 */
import assert from "node:assert/strict";
import { PRODUCER_ENV } from "../services/demands/cli/produce.ts";
import { DEMANDS_CREATED, demandSchema } from "../services/demands/demand.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import { demandsWorld, readTopic, textOf } from "./demands_helpers.ts";
import { runDeno } from "./helpers.ts";

const SCRIPT = new URL("../services/demands/cli/produce.ts", import.meta.url).pathname;

/** Runs the producer with the permissions of `deno task produce:demands`. */
function runProducer(args: string[], env: Record<string, string>, stdin = "") {
  const brokers = loadKafkaConfig("web").brokers.join(",");
  return runDeno(
    ["run", `--allow-net=${brokers}`, `--allow-env=${PRODUCER_ENV.join(",")}`, SCRIPT, ...args],
    { env: { ...env, LOG_LEVEL: "warn" }, stdin },
  );
}

Deno.test("demands producer - random demands, paced, interactive through a pipe, bad input", async (t) => {
  const world = await demandsWorld();
  const env = { FRESHET_TOPIC_PREFIX: world.prefix };
  const seen = new Set<string>();
  /** Records sent since the last call. */
  const fresh = async () => {
    const all = await readTopic(world, DEMANDS_CREATED);
    const news = all.filter((m) => !seen.has(`${m.partition}:${m.offset}`));
    for (const m of news) seen.add(`${m.partition}:${m.offset}`);
    return news;
  };
  try {
    await t.step("--count 20: 20 valid demands keyed by id, with progress", async () => {
      const { code, stdout, stderr } = await runProducer(["--count", "20"], env);
      assert.equal(code, 0, stderr);
      assert.match(stdout, /sent 20\/20 \(100%\)/);
      const records = await fresh();
      assert.equal(records.length, 20);
      for (const m of records) {
        const demand = demandSchema.parse(JSON.parse(textOf(m)));
        assert.equal(m.key, demand.id);
        assert.equal(m.headers.ce_type, "demands.created");
        assert.equal(m.headers.ce_source, "freshet/demands-producer");
        assert.equal(m.headers["content-type"], "application/json");
      }
      assert.equal(new Set(records.map((m) => m.key)).size, 20, "distinct ids");
    });

    await t.step("--rate paces the sends", async () => {
      const { code, stdout, stderr, ms } = await runProducer(["--count", "6", "--rate", "4"], env);
      assert.equal(code, 0, stderr);
      assert.match(stdout, /6 random demands .*, 4 per second/);
      assert.match(stdout, /sent 6\/6 \(100%\)/);
      assert.ok(ms >= 1_250, `6 demands at 4/s take at least 1.25 s (took ${ms} ms)`);
      assert.equal((await fresh()).length, 6);
    });

    await t.step("interactive, piped: one demand, exactly the seed's payload", async () => {
      const id = `req-${crypto.randomUUID()}`;
      const { code, stdout, stderr } = await runProducer(
        [],
        env,
        `emergency\nhigh\n-22,9\n-43.2\n${id}\n\n`,
      );
      assert.equal(code, 0, stderr);
      assert.doesNotMatch(stderr, /error|expected|must/);
      assert.match(
        stdout,
        new RegExp(`sent ${id} \\(emergency, high\\) → partition \\d, offset \\d+`),
      );
      const [record, ...more] = await fresh();
      assert.equal(more.length, 0);
      assert.equal(record.key, id);
      assert.equal(
        textOf(record),
        JSON.stringify({
          id,
          type: "emergency",
          location: { lat: -22.9, lng: -43.2 },
          metadata: { priority: "high" },
        }),
      );
    });

    await t.step("a bad answer: a clear error, the question again", async () => {
      const { code, stdout, stderr } = await runProducer([], env, "visit\n\nnorth\n95\n10\n20\n\n");
      assert.equal(code, 0, stderr);
      assert.match(stderr, /latitude: expected a number, e\.g\. -22\.9 \(got "north"\)/);
      assert.match(stderr, /latitude: must be ≤ 90 \(got "95"\)/);
      assert.match(stdout, /Latitude \(-90 to 90\): north\nLatitude \(-90 to 90\): 95\nLatitude/);
      const [record, ...more] = await fresh();
      assert.equal(more.length, 0);
      const demand = demandSchema.parse(JSON.parse(textOf(record)));
      assert.deepEqual(
        [demand.type, demand.metadata.priority, demand.location],
        ["visit", "medium", { lat: 10, lng: 20 }],
      );
    });

    await t.step("bad arguments: exit 2 with the reason and the usage", async () => {
      const { code, stderr } = await runProducer(["--count", "3", "--rate", "fast"], env);
      assert.equal(code, 2);
      assert.match(stderr, /--rate expects messages per second/);
      assert.match(stderr, /deno task produce:demands --count 100 --rate 10/);
    });

    await t.step("a topic the principal may not write: exit 1 and says so", async () => {
      const { code, stderr } = await runProducer(["--count", "1"], {
        FRESHET_TOPIC_PREFIX: "nope-demands.",
      });
      assert.equal(code, 1);
      assert.match(stderr, /the web principal may not write nope-demands\.demands\.created/);
    });
  } finally {
    await world.close();
  }
});

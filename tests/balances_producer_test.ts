/**
 * The balances producer CLI as its own process with the task's explicit
 * permissions, as the real `balances` principal: sample data with
 * progress, the interactive mode fed through a pipe (a tombstone for an
 * empty balance, a clear message for a bad one), and bad arguments.
 */
import assert from "node:assert/strict";
import { PRODUCER_ENV } from "../services/balances/cli/produce.ts";
import { balanceValueSchema } from "../services/balances/balance.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import { readRange } from "../shared/kafka/topic_reader.ts";
import { balancesFixture } from "./balances_helpers.ts";
import { randomName, runDeno } from "./helpers.ts";

const SCRIPT = new URL("../services/balances/cli/produce.ts", import.meta.url).pathname;

/** Runs the producer with the permissions of `deno task produce:balances`. */
function runProducer(args: string[], env: Record<string, string>, stdin = "") {
  const brokers = loadKafkaConfig("balances").brokers.join(",");
  return runDeno(
    ["run", `--allow-net=${brokers}`, `--allow-env=${PRODUCER_ENV.join(",")}`, SCRIPT, ...args],
    { env: { ...env, LOG_LEVEL: "warn" }, stdin },
  );
}

Deno.test("balances producer - sample data, interactive input through a pipe, bad input", async (t) => {
  const fx = await balancesFixture();
  const read = async () =>
    (await readRange(fx.kafka, {
      groupId: randomName("producer-test"),
      topics: [fx.topic],
      from: "earliest",
    })).messages;
  try {
    await t.step("--count sends random balances keyed by account, with progress", async () => {
      const { code, stdout, stderr } = await runProducer(
        ["--count", "25", "--accounts", "4"],
        fx.env,
      );
      assert.equal(code, 0, stderr);
      assert.match(stdout, /sent 25\/25 \(100%\)/);
      const messages = await read();
      assert.equal(messages.length, 25);
      for (const m of messages) {
        const value = balanceValueSchema.parse(JSON.parse(new TextDecoder().decode(m.value!)));
        assert.equal(value.cliente_id, m.key);
        assert.ok(["1", "2", "3", "4"].includes(m.key!));
        assert.equal(m.headers.ce_type, "contas.balance");
      }
    });

    await t.step("interactive: a balance, a tombstone, a bad number, then quit", async () => {
      const { code, stdout, stderr } = await runProducer(
        [],
        fx.env,
        "acct-7\n123,45\nacct-7\n\nacct-8\nlots\n\n",
      );
      assert.equal(code, 0, stderr);
      assert.match(stdout, /sent acct-7: saldo 123\.45 → partition \d+, offset \d+/);
      assert.match(stdout, /sent acct-7: tombstone \(delete\)/);
      assert.match(stderr, /not a number: "lots"/);
      const mine = (await read()).filter((m) => m.key?.startsWith("acct-"));
      assert.deepEqual(mine.map((m) => m.key), ["acct-7", "acct-7"]);
      assert.equal(
        balanceValueSchema.parse(JSON.parse(new TextDecoder().decode(mine[0].value!))).saldo,
        123.45,
      );
      assert.equal(mine[1].value, null);
    });

    await t.step("bad arguments: exit 2 with the reason and the usage", async () => {
      const { code, stderr } = await runProducer(["--count", "many"], fx.env);
      assert.equal(code, 2);
      assert.match(stderr, /--count expects a whole number/);
      assert.match(stderr, /deno task produce:balances --count 1000/);
    });

    await t.step("a topic the principal may not write: exit 1 and says so", async () => {
      const { code, stderr } = await runProducer(["--count", "1"], {
        FRESHET_TOPIC_PREFIX: `${randomName("nope")}.`,
      });
      assert.equal(code, 1);
      assert.match(stderr, /the balances principal may not write nope-.*contas/);
    });
  } finally {
    await fx.cleanup();
  }
});

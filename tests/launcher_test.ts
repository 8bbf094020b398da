import assert from "node:assert/strict";
import { consumerRunFlags } from "../shared/consumer/workers.ts";
import { discoverBrokers } from "../shared/permissions/discover_child.ts";
import { DiscoveryError } from "../shared/permissions/discover.ts";
import { consumerEntries } from "../freshet.ts";
import { launch, spawnLaunched } from "./launched.ts";
import { demandsWorld } from "./demands_helpers.ts";
import { randomName } from "./helpers.ts";

Deno.test("launcher - discovery finds the brokers the cluster advertises, or says why not", async (t) => {
  await t.step("the local broker named localhost advertises 127.0.0.1", async () => {
    const found = await discoverBrokers({ principal: "web", bootstrap: ["localhost:9092"] });
    assert.deepEqual(found.brokers.toSorted(), ["127.0.0.1:9092", "localhost:9092"]);
    assert.ok(found.clusterId.length > 0);
  });
  await t.step("nothing listens there", async () => {
    await assert.rejects(
      discoverBrokers({ principal: "web", bootstrap: ["127.0.0.1:1"] }),
      (error: unknown) =>
        error instanceof DiscoveryError && /cannot reach the Kafka cluster at 127.0.0.1:1/.test(
          error.message,
        ),
    );
  });
});

Deno.test("launcher - a consumer task runs against the broker by another name, under its instance name", async () => {
  const world = await demandsWorld();
  const dataDir = world.dataDir;
  const doctor = randomName("d").toLowerCase().replace(/[^a-z0-9-]/g, "");
  const consumer = await launch("consumer:doctor", {
    env: {
      KAFKA_BROKERS: "localhost:9092",
      DOCTOR_NAME: doctor,
      DATA_DIR: dataDir,
      FRESHET_TOPIC_PREFIX: world.prefix,
    },
  });
  try {
    await consumer.waitForOutput(new RegExp(`\\[consumer:doctor-${doctor}\\] consuming`));
    assert.ok((await Deno.stat(`${dataDir}/doctor-${doctor}/doctor-${doctor}.db`)).isFile);
    const status = await consumer.stop();
    assert.equal(status.code, 0, consumer.output());
  } finally {
    await consumer.stop();
    await world.close();
  }
});

Deno.test("launcher - a wrong password stops the task before it starts, naming the login", async () => {
  const run = await launch("consumer:doctor", { env: { KAFKA_DOCTOR_PASSWORD: "wrong" } }).then(
    () => assert.fail("the launcher should refuse"),
    (error: unknown) => error,
  );
  assert.ok(run instanceof DiscoveryError);
  assert.match(run.message, /refused the login of doctor \(scram-sha-256\)/);
});

Deno.test("launcher - a broker the program may not reach stops it with the broker's name", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-launch-" });
  const entry = consumerEntries({}).find((e) => e.task === "doctor")!;
  // Granted only the bootstrap name; the cluster advertises 127.0.0.1:9092.
  const flags = consumerRunFlags(entry, { dataDir, brokers: ["localhost:9092"] });
  const consumer = spawnLaunched(
    ["run", ...flags, new URL(entry.url).pathname],
    {
      KAFKA_BROKERS: "localhost:9092",
      DATA_DIR: dataDir,
      FRESHET_TOPIC_PREFIX: `${randomName("launch")}.`,
    },
  );
  try {
    const status = await Promise.race([
      consumer.status,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`still running:\n${consumer.output()}`)), 60_000)
      ),
    ]);
    assert.equal(status.code, 1);
    assert.match(
      consumer.output(),
      /no network permission for the Kafka broker 127\.0\.0\.1:9092, which the cluster advertises/,
    );
  } finally {
    await consumer.stop();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("launcher - a second process on a service's data folder is refused, naming the first", async () => {
  const world = await demandsWorld();
  const env = { DATA_DIR: world.dataDir, FRESHET_TOPIC_PREFIX: world.prefix, DOCTOR_NAME: "twice" };
  const first = await launch("consumer:doctor", { env });
  try {
    await first.waitForOutput(/\[consumer:doctor-twice\] consuming/);
    const second = await launch("consumer:doctor", { env });
    const status = await second.status;
    assert.equal(status.code, 1);
    assert.match(
      second.output(),
      /doctor-twice is in use by another process \(consumer doctor-twice, pid \d+, since .*\)/,
    );
  } finally {
    await first.stop();
    await world.close();
  }
});

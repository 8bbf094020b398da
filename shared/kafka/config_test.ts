import assert from "node:assert/strict";
import { ConfigError } from "../core/config.ts";
import { kafkaEnvNames, loadKafkaConfig } from "./config.ts";

Deno.test("kafka config - resolves brokers and credentials per principal", async (t) => {
  await t.step("local defaults: 127.0.0.1:9092, SCRAM as the principal", () => {
    const config = loadKafkaConfig("doctor", {});
    assert.deepEqual(config.brokers, ["127.0.0.1:9092"]);
    assert.equal(config.local, true);
    assert.deepEqual(config.sasl, {
      mechanism: "scram-sha-256",
      username: "doctor",
      password: "doctor-secret",
    });
  });
  await t.step("a principal's own password wins and logs in as that principal", () => {
    const config = loadKafkaConfig("doctor", {
      KAFKA_BROKERS: "k1:9092, k2:9093",
      KAFKA_SASL_USERNAME: "shared",
      KAFKA_SASL_PASSWORD: "shared-pw",
      KAFKA_DOCTOR_PASSWORD: "own-pw",
    });
    assert.deepEqual(config.brokers, ["k1:9092", "k2:9093"]);
    assert.equal(config.local, false);
    assert.deepEqual(config.sasl, {
      mechanism: "scram-sha-256",
      username: "doctor",
      password: "own-pw",
    });
  });
  await t.step("shared credentials apply when a principal has none", () => {
    const config = loadKafkaConfig("web", {
      KAFKA_BROKERS: "k1:9092",
      KAFKA_SASL_MECHANISM: "PLAIN",
      KAFKA_SASL_USERNAME: "shared",
      KAFKA_SASL_PASSWORD: "pw",
    });
    assert.deepEqual(config.sasl, { mechanism: "plain", username: "shared", password: "pw" });
  });
  await t.step("a loopback cluster keeps the local passwords as defaults", () => {
    for (const brokers of ["localhost:9092", "127.0.0.2:9092,127.0.0.3:9092", "[::1]:9092"]) {
      const config = loadKafkaConfig("doctor", { KAFKA_BROKERS: brokers });
      assert.equal(config.local, true, brokers);
      assert.equal(config.sasl?.password, "doctor-secret", brokers);
    }
    const mixed = loadKafkaConfig("doctor", { KAFKA_BROKERS: "localhost:9092,k1:9092" });
    assert.equal(mixed.local, false);
    assert.equal(mixed.sasl, undefined);
  });
  await t.step("a remote cluster without credentials connects without SASL", () => {
    assert.equal(loadKafkaConfig("web", { KAFKA_BROKERS: "k1:9092" }).sasl, undefined);
  });
  await t.step("compression: none by default, KAFKA_COMPRESSION, the principal's own wins", () => {
    assert.equal(loadKafkaConfig("doctor", {}).compression, "none");
    assert.equal(loadKafkaConfig("doctor", { KAFKA_COMPRESSION: "lz4" }).compression, "lz4");
    assert.equal(
      loadKafkaConfig("doctor", { KAFKA_COMPRESSION: "lz4", KAFKA_DOCTOR_COMPRESSION: "zstd" })
        .compression,
      "zstd",
    );
    assert.equal(
      loadKafkaConfig("web", { KAFKA_DOCTOR_COMPRESSION: "zstd" }).compression,
      "none",
      "another principal's setting is not this one's",
    );
  });
  await t.step("the variables read are the ones declared", () => {
    const names = kafkaEnvNames("doctor");
    for (
      const name of [
        "KAFKA_BROKERS",
        "KAFKA_DOCTOR_PASSWORD",
        "KAFKA_DOCTOR_USERNAME",
        "NODE_ENV",
        "KAFKA_COMPRESSION",
        "KAFKA_DOCTOR_COMPRESSION",
      ]
    ) {
      assert.ok(names.includes(name), name);
    }
  });
});

Deno.test("kafka config - a wrong value names the variable and the expected form", async (t) => {
  const cases: [Record<string, string>, RegExp][] = [
    [
      { KAFKA_BROKERS: "localhost" },
      /KAFKA_BROKERS: expected host:port\[,host:port...\] \(got "localhost"\)/,
    ],
    [
      { KAFKA_SASL_MECHANISM: "kerberos" },
      /KAFKA_SASL_MECHANISM: expected one of scram-sha-256, scram-sha-512, plain/,
    ],
    [{ KAFKA_SSL: "maybe" }, /KAFKA_SSL: expected true or false \(got "maybe"\)/],
    [
      { KAFKA_COMPRESSION: "brotli" },
      /KAFKA_COMPRESSION: .*"none"\|"gzip"\|"snappy"\|"lz4"\|"zstd"/,
    ],
    [{ KAFKA_WEB_COMPRESSION: "LZ4" }, /KAFKA_WEB_COMPRESSION: /],
  ];
  for (const [env, message] of cases) {
    await t.step(Object.keys(env)[0], () => {
      assert.throws(() => loadKafkaConfig("web", env), (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, message);
        return true;
      });
    });
  }
});

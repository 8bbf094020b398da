/**
 * Schema Registry formats against a real registry (the local Apicurio
 * Registry `deno task test` starts: SCHEMA_REGISTRY_URL), the broker, and
 * values written as Confluent's serializers write them (the schema
 * registered under `<topic>-value`, then magic byte 0, the id, the Avro /
 * Protobuf (with message indexes) / JSON payload):
 * - the console decodes each format and shows the subjects and versions;
 * - the console produces with a chosen subject;
 * - the REST proxy's avro, protobuf and jsonschema formats register or
 *   reuse schemas and write values the console decodes;
 * - a consumer with an Avro contract reads values of an older writer's
 *   schema resolved to its own, and one with a Protobuf contract reads its
 *   message type; values that do not decode are dead-lettered.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import avro from "avsc";
import protobuf from "protobufjs";
import { createRunner } from "../shared/consumer/main.ts";
import type { ConsumerDefinition } from "../shared/consumer/define.ts";
import { schemaTopic } from "../shared/consumer/schema_contract.ts";
import { DLQ_HEADERS } from "../shared/consumer/dead_letter.ts";
import { SchemaRegistryClient } from "../shared/schema/registry_client.ts";
import { frame } from "../shared/schema/wire_format.ts";
import { readRange } from "../shared/kafka/topic_reader.ts";
import { closeBus } from "../shared/bus/bus.ts";
import {
  KAFKA_AVRO_V2,
  KAFKA_JSONSCHEMA_V2,
  KAFKA_PROTOBUF_V2,
} from "../services/rest_proxy/mod.ts";
import { basic, testAuth } from "./auth_helpers.ts";
import { adminKafka, createTopics, randomName, waitFor } from "./helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";
import { consoleCaller } from "./console_helpers.ts";
import { adminAsWebEnv, restProxyFixture } from "./rest_proxy_helpers.ts";

/** The registry `deno task test` started (or the one named); a run without one fails here, loudly. */
function registryUrl(): string {
  const url = Deno.env.get("SCHEMA_REGISTRY_URL");
  assert.ok(
    url,
    "SCHEMA_REGISTRY_URL is not set: `deno task test` starts a local registry for *schema* tests " +
      "(see its log for why it did not)",
  );
  return url;
}

const ORDER_V1 = {
  type: "record",
  name: "Order",
  namespace: "com.example",
  fields: [{ name: "id", type: "string" }, { name: "total", type: "long" }],
};
const ORDER_V2 = {
  ...ORDER_V1,
  fields: [...ORDER_V1.fields, { name: "currency", type: "string", default: "BRL" }],
};
const PROTO = `syntax = "proto3";
package com.example;
message Envelope { string trace = 1; }
message Payment { string id = 1; int64 cents = 2; repeated string tags = 3; }`;
const JSON_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: { id: { type: "string" }, n: { type: "integer" } },
  required: ["id", "n"],
};

/** What Confluent's KafkaAvroSerializer writes: register, then frame the Avro binary. */
async function javaStyleAvro(
  registry: SchemaRegistryClient,
  topic: string,
  schema: object,
  value: object,
) {
  const id = await registry.register(`${topic}-value`, JSON.stringify(schema), "AVRO");
  return Buffer.from(frame(id, avro.Type.forSchema(schema as never).toBuffer(value)));
}

Deno.test({
  name:
    "schema registry - Avro, Protobuf and JSON Schema values in the console, produce and the REST proxy",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const registry = new SchemaRegistryClient(registryUrl());
    const kafka = adminKafka();
    const [orders, payments, events] = ["orders", "payments", "events"].map((p) =>
      randomName(`sr-${p}`)
    );
    const drop = await createTopics(kafka, [{ topic: orders }, { topic: payments }, {
      topic: events,
    }]);
    const dataDir = await Deno.makeTempDir({ prefix: "freshet-schemas-" });
    const { app, shutdown } = await createWorldApp({ dataDir, prefix: "" }, { auth: testAuth() });
    const consoleCall = consoleCaller(app);
    const call = (
      method: string,
      path: string,
      body?: unknown,
      user: "viewer" | "operator" = "viewer",
    ) => consoleCall(user, method, path, body);
    const decodedValues = async (topic: string) => {
      const { status, body } = await call(
        "GET",
        `/api/topics/${topic}/messages?seek=oldest&limit=50`,
      );
      assert.equal(status, 200, JSON.stringify(body));
      return body.messages.map((m: { schema?: { value?: { text: string }; problem?: string } }) =>
        m.schema?.value ? JSON.parse(m.schema.value.text) : m.schema?.problem ?? null
      );
    };
    try {
      await t.step(
        "an Avro record written as Confluent's serializer writes it is decoded",
        async () => {
          const value = await javaStyleAvro(registry, orders, ORDER_V1, { id: "o-1", total: 4500 });
          const producer = kafka.producer();
          await producer.connect();
          await producer.send({ topic: orders, messages: [{ key: "o-1", value }] });
          await producer.disconnect();
          assert.deepEqual(await decodedValues(orders), [{ id: "o-1", total: 4500 }]);
        },
      );

      await t.step(
        "Protobuf (second message: indexes [1]) and JSON Schema values are decoded",
        async () => {
          const pid = await registry.register(`${payments}-value`, PROTO, "PROTOBUF");
          const type = protobuf.parse(PROTO, { keepCase: true }).root.lookupType(
            "com.example.Payment",
          );
          const payload = type.encode({ id: "p-1", cents: 990, tags: ["a", "b"] }).finish();
          const jid = await registry.register(
            `${events}-value`,
            JSON.stringify(JSON_SCHEMA),
            "JSON",
          );
          const producer = kafka.producer();
          await producer.connect();
          await producer.send({
            topic: payments,
            messages: [{ value: Buffer.from(frame(pid, payload, [1])) }],
          });
          await producer.send({
            topic: events,
            messages: [{
              value: Buffer.from(frame(jid, new TextEncoder().encode('{"id":"e-1","n":3}'))),
            }],
          });
          await producer.disconnect();
          assert.deepEqual(await decodedValues(payments), [{
            id: "p-1",
            cents: "990",
            tags: ["a", "b"],
          }]);
          assert.deepEqual(await decodedValues(events), [{ id: "e-1", n: 3 }]);
        },
      );

      await t.step("the subjects page and API show every version", async () => {
        await registry.register(`${orders}-value`, JSON.stringify(ORDER_V2), "AVRO");
        const { status, body } = await call("GET", `/api/schemas/${orders}-value`);
        assert.equal(status, 200, JSON.stringify(body));
        assert.deepEqual(body.versions.map((v: { version: number }) => v.version), [2, 1]);
        assert.equal(body.versions[0].schemaType, "AVRO");
        assert.match(body.versions[0].schema, /"currency"/);
        const list = await call("GET", "/api/schemas");
        const mine = list.body.subjects.filter((s: { subject: string }) =>
          [orders, payments, events].some((x) => s.subject === `${x}-value`)
        );
        assert.deepEqual(
          mine.map((
            s: { subject: string; latest: { schemaType: string } },
          ) => [s.subject, s.latest.schemaType]).sort(),
          [[`${events}-value`, "JSON"], [`${orders}-value`, "AVRO"], [
            `${payments}-value`,
            "PROTOBUF",
          ]].sort(),
        );
        const page = await app.fetch(
          new Request(`http://127.0.0.1/console/schemas/${orders}-value`, {
            headers: basic("viewer"),
          }),
        );
        assert.equal(page.status, 200);
        assert.match(await page.text(), /Version 2/);
        const unknown = await call("GET", `/api/schemas/${randomName("nope")}-value`);
        assert.equal(unknown.status, 404);
      });

      await t.step("the console produces with a chosen subject", async () => {
        const { status, body } = await call("POST", `/api/topics/${orders}/messages`, {
          key: "o-2",
          value: { id: "o-2", total: 10, currency: "EUR" },
          subject: `${orders}-value`,
        }, "operator");
        assert.equal(status, 201, JSON.stringify(body));
        const values = await decodedValues(orders);
        assert.deepEqual(values.at(-1), { id: "o-2", total: 10, currency: "EUR" });
        const bad = await call("POST", `/api/topics/${orders}/messages`, {
          value: { id: "o-3" },
          subject: `${orders}-value`,
        }, "operator");
        assert.equal(bad.status, 422, JSON.stringify(bad.body));
      });
    } finally {
      shutdown();
      await drop();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});

Deno.test({
  name: "schema registry - the REST proxy's avro, protobuf and jsonschema formats",
  sanitizeResources: false,
  async fn(t) {
    const fx = await restProxyFixture({ env: adminAsWebEnv() });
    const topic = `${fx.prefix}extra.events`;
    const registry = new SchemaRegistryClient(registryUrl());
    /** The framed value at `offset` of partition 0 of `<prefix><base>`: its schema id and bytes. */
    const framedAt = async (base: string, offset: number) => {
      const message = (await fx.read(base)).find((m) => m.offset === offset && m.partition === 0)!;
      const bytes = message.value!;
      assert.equal(bytes[0], 0, "magic byte");
      return { id: new DataView(bytes.buffer, bytes.byteOffset).getInt32(1), bytes };
    };
    try {
      let avroId = 0;
      await t.step("avro with value_schema registers it under <topic>-value", async () => {
        const res = await fx.post("/topics/extra.events/partitions/0", {
          value_schema: JSON.stringify(ORDER_V1),
          records: [{ value: { id: "r-1", total: 7 } }],
        }, { "content-type": KAFKA_AVRO_V2 });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        avroId = res.body.value_schema_id;
        assert.ok(avroId > 0);
        assert.equal(res.body.key_schema_id, null);
        assert.equal((await registry.version(`${topic}-value`, "latest")).id, avroId);
        const { id, bytes } = await framedAt("extra.events", res.body.offsets[0].offset);
        assert.equal(id, avroId);
        assert.deepEqual(
          { ...avro.Type.forSchema(ORDER_V1 as never).fromBuffer(Buffer.from(bytes.subarray(5))) },
          { id: "r-1", total: 7 },
        );
      });

      await t.step("avro with value_schema_id reuses the id", async () => {
        const res = await fx.post("/topics/extra.events/partitions/0", {
          value_schema_id: avroId,
          records: [{ value: { id: "r-2", total: 8 } }],
        }, { "content-type": KAFKA_AVRO_V2 });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.value_schema_id, avroId);
      });

      await t.step("protobuf: the first message, framed with index 0", async () => {
        const res = await fx.post("/topics/primeiro_topico/partitions/0", {
          value_schema: PROTO,
          records: [{ value: { trace: "t-1" } }],
        }, { "content-type": KAFKA_PROTOBUF_V2 });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const { id, bytes } = await framedAt("primeiro_topico", res.body.offsets[0].offset);
        assert.equal(id, res.body.value_schema_id);
        assert.equal(bytes[5], 0, "message indexes [0] are written as a single 0");
        const envelope = protobuf.parse(PROTO).root.lookupType("com.example.Envelope");
        assert.equal(
          (envelope.decode(bytes.subarray(6)) as unknown as { trace: string }).trace,
          "t-1",
        );
      });

      await t.step("jsonschema: the JSON after the frame, checked first", async () => {
        const res = await fx.post("/topics/demands.created/partitions/0", {
          value_schema: JSON.stringify(JSON_SCHEMA),
          records: [{ value: { id: "j-1", n: 1 } }],
        }, { "content-type": KAFKA_JSONSCHEMA_V2 });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const { bytes } = await framedAt("demands.created", res.body.offsets[0].offset);
        assert.deepEqual(JSON.parse(new TextDecoder().decode(bytes.subarray(5))), {
          id: "j-1",
          n: 1,
        });
        const bad = await fx.post("/topics/demands.created", {
          value_schema_id: res.body.value_schema_id,
          records: [{ value: { id: "j-2" } }],
        }, { "content-type": KAFKA_JSONSCHEMA_V2 });
        assert.equal(bad.status, 422);
        assert.equal(bad.body.error_code, 42203);
        assert.match(bad.body.message, /n/);
      });

      await t.step("errors: a value not matching, no schema, a bad schema", async () => {
        const mismatch = await fx.post("/topics/extra.events", {
          value_schema_id: avroId,
          records: [{ value: { id: "x" } }],
        }, { "content-type": KAFKA_AVRO_V2 });
        assert.equal(mismatch.status, 422);
        assert.equal(mismatch.body.error_code, 42203);
        assert.match(mismatch.body.message, /records\[0\]\.value/);
        const missing = await fx.post("/topics/extra.events", {
          records: [{ value: { id: "x", total: 1 } }],
        }, { "content-type": KAFKA_AVRO_V2 });
        assert.equal(missing.status, 422);
        assert.equal(missing.body.error_code, 42202);
        const keyMissing = await fx.post("/topics/extra.events", {
          value_schema_id: avroId,
          records: [{ key: "k", value: { id: "x", total: 1 } }],
        }, { "content-type": KAFKA_AVRO_V2 });
        assert.equal(keyMissing.body.error_code, 42201);
        const unknownId = await fx.post("/topics/extra.events", {
          value_schema_id: 987654,
          records: [{ value: { id: "x", total: 1 } }],
        }, { "content-type": KAFKA_AVRO_V2 });
        assert.equal(unknownId.status, 422);
        assert.equal(unknownId.body.error_code, 42205);
      });
    } finally {
      await fx.cleanup();
    }
  },
});

Deno.test({
  name: "schema registry - consumers with an Avro or Protobuf contract get validated values",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const registry = new SchemaRegistryClient(registryUrl());
    const kafka = adminKafka();
    const orders = randomName("contract-orders");
    const payments = randomName("contract-payments");
    const drop = await createTopics(kafka, [
      { topic: orders },
      { topic: `${orders}.dlq` },
      { topic: payments },
      { topic: `${payments}.dlq` },
    ]);
    const dataDir = await Deno.makeTempDir({ prefix: "freshet-contract-" });
    const seen: unknown[] = [];
    const definition: ConsumerDefinition = {
      name: "contract-sink",
      principal: "admin",
      groupId: randomName("contract-group"),
      migrations: [],
      topics: {
        [orders]: schemaTopic(
          { type: "AVRO", schema: ORDER_V2 },
          (ctx) => void seen.push(ctx.value),
        ),
        [payments]: schemaTopic(
          { type: "PROTOBUF", proto: PROTO, message: "com.example.Payment" },
          (ctx) => void seen.push(ctx.value),
        ),
      },
    };
    const runner = createRunner(definition, { dataDir, mode: "process", kafka });
    try {
      const v1 = await javaStyleAvro(registry, orders, ORDER_V1, { id: "c-1", total: 1 });
      const type = protobuf.parse(PROTO, { keepCase: true }).root.lookupType("com.example.Payment");
      const pid = await registry.register(`${payments}-value`, PROTO, "PROTOBUF");
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({
        topic: orders,
        messages: [
          { value: v1 },
          { value: Buffer.from(frame(987_654, new Uint8Array([2, 0x61, 2]))) }, // unknown schema id
          { value: Buffer.from([0x02, 0x61]) }, // bare, cut short
        ],
      });
      await producer.send({
        topic: payments,
        messages: [
          { value: Buffer.from(frame(pid, type.encode({ id: "p-9", cents: 5 }).finish(), [1])) },
          { value: Buffer.from([0xff, 0xff, 0xff]) },
        ],
      });
      await producer.disconnect();
      await runner.start();
      await waitFor(
        "2 applied, 3 dead-lettered",
        () => runner.counters.processed >= 2 && runner.counters.deadLettered >= 3,
        30_000,
      );
      assert.deepEqual(
        seen.find((v) => (v as { id: string }).id === "c-1"),
        { id: "c-1", total: 1, currency: "BRL" },
        "the v1 writer's record resolved to the v2 reader (default filled)",
      );
      assert.deepEqual(seen.find((v) => (v as { id: string }).id === "p-9"), {
        id: "p-9",
        cents: "5",
        tags: [],
      });
      // Dead letters leave through the outbox after the commit: wait for all three.
      let letters: Awaited<ReturnType<typeof readRange>>["messages"] = [];
      await waitFor("three dead letters in the DLQs", async () => {
        letters = (await readRange(kafka, {
          groupId: randomName("contract-dlq"),
          topics: [`${orders}.dlq`, `${payments}.dlq`],
          from: "earliest",
        })).messages;
        return letters.length >= 3;
      });
      assert.deepEqual(
        letters.map((m) => m.headers[DLQ_HEADERS.code]).sort(),
        ["SCHEMA_MISMATCH", "SCHEMA_MISMATCH", "SCHEMA_UNKNOWN"],
      );
    } finally {
      await runner.stop();
      closeBus();
      await drop();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});

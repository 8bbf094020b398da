import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { parseReset } from "./groups/reset_input.ts";
import { parseConfigLines, parseNewTopic } from "./topics/topic_input.ts";
import { parseProduceForm, parseProduceJson } from "./produce/produce_input.ts";
import { decodeScramAnswer } from "./acls/scram_users.ts";

Deno.test("console input - offset resets", async (t) => {
  await t.step("every target", () => {
    const base = { topic: "t" };
    assert.deepEqual(parseReset({ ...base, to: "earliest" }), {
      ok: true,
      value: { topic: "t", partition: undefined, to: { kind: "earliest" }, dryRun: false },
    });
    const ts = parseReset({ ...base, to: "timestamp", timestamp: "2024-01-01T00:00:00Z" });
    assert.ok(
      ts.ok && ts.value.to.kind === "timestamp" && ts.value.to.timestampMs === 1704067200000,
    );
    const shift = parseReset({ ...base, to: "shift", by: "-5", partition: "2", dryRun: "1" });
    assert.ok(shift.ok);
    assert.deepEqual(shift.value, {
      topic: "t",
      partition: 2,
      to: { kind: "shift", by: -5 },
      dryRun: true,
    });
  });
  await t.step("problems", () => {
    const result = parseReset({ to: "offset", offset: "-1", partition: "x" });
    assert.ok(!result.ok);
    assert.equal(result.problems.length, 3, result.problems.join("; "));
    assert.ok(!parseReset({ topic: "t", to: "shift", by: "0" }).ok);
    assert.ok(!parseReset({ topic: "t", to: "timestamp", timestamp: "yesterday" }).ok);
  });
});

Deno.test("console input - topics and configs", () => {
  const problems: string[] = [];
  assert.deepEqual(parseConfigLines("# c\nretention.ms=1000\n\ncleanup.policy=\n", problems), {
    set: { "retention.ms": "1000" },
    remove: ["cleanup.policy"],
  });
  assert.deepEqual(problems, []);
  parseConfigLines("Bad=1\nnovalue\na.b=1\na.b=2", problems);
  assert.equal(problems.length, 3, problems.join("; "));
  const topic = parseNewTopic({ name: "x.y", partitions: "3", configs: "a.b=1" }, 1);
  assert.deepEqual(topic, {
    ok: true,
    value: { name: "x.y", partitions: 3, replicationFactor: 1, configs: { "a.b": "1" } },
  });
  const bad = parseNewTopic({ name: "<script>", partitions: "1", replicationFactor: 3 }, 1);
  assert.ok(!bad.ok && bad.problems.length === 2, JSON.stringify(bad));
});

Deno.test("console input - produce", () => {
  const form = new FormData();
  form.set("key", "");
  form.set("value", "v");
  form.set("headers", "a: 1\nb: x: y\n");
  form.set("partition", "");
  assert.deepEqual(parseProduceForm(form), {
    ok: true,
    value: { key: null, value: "v", headers: { a: "1", b: "x: y" }, partition: undefined },
  });
  form.set("tombstone", "on");
  form.set("headers", "no colon");
  const refused = parseProduceForm(form);
  assert.ok(!refused.ok && refused.problems.length === 1);
  assert.deepEqual(parseProduceJson({ key: "k", value: { a: 1 }, partition: 0 }), {
    ok: true,
    value: { key: "k", value: '{"a":1}', headers: {}, partition: 0 },
  });
  assert.ok(!parseProduceJson({ key: 1 }).ok);
});

Deno.test("scram users - decodes a DescribeUserScramCredentials v0 answer", () => {
  const answer = Buffer.from([
    0, // response header tags
    0,
    0,
    0,
    0, // throttle
    0,
    0, // error code
    0, // error message: null
    3, // 2 results
    ...[6, ...Buffer.from("admin")],
    0,
    0, // error
    0, // message null
    2, // 1 credential
    1,
    0,
    0,
    16,
    0,
    0, // SCRAM-SHA-256, 4096 iterations, tags
    0, // result tags
    ...[4, ...Buffer.from("<b>")],
    0,
    58,
    ...[4, ...Buffer.from("nah")],
    1, // no credentials (empty array)
    0,
    0, // body tags
  ]);
  const decoded = decodeScramAnswer(new Uint8Array(answer));
  assert.deepEqual(decoded, {
    errorCode: 0,
    errorMessage: null,
    users: [
      { name: "admin", credentials: [{ mechanism: "SCRAM-SHA-256", iterations: 4096 }] },
      { name: "<b>", credentials: [], error: "error 58: nah" },
    ],
  });
});

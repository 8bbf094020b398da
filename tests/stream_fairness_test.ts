/**
 * The console's streams shared fairly, on the real broker: four live tails
 * of a viewer leave an operator's search and redrive working; the viewer's
 * fifth stream is a 429 naming who holds what (JSON for curl, an `error`
 * event for the page's EventSource); a live tail ends by itself after its
 * time limit, announced in its `open` event and counted down in its
 * `messages` events, and its slot is free again.
 */
import assert from "node:assert/strict";
import { DLQ_HEADERS } from "../shared/consumer/dead_letter.ts";
import { basic, testAuth } from "./auth_helpers.ts";
import { adminKafka, createTopics, produce, randomName, waitFor } from "./helpers.ts";
import { consoleReader } from "./console_helpers.ts";
import { testApp } from "./test_app.ts";
import { sseReader } from "./web_helpers.ts";

const ORIGIN = "http://127.0.0.1";

Deno.test("stream fairness - a viewer's tails never starve an operator; the fifth is a 429 naming them", async (t) => {
  const kafka = adminKafka();
  const topic = randomName("fair");
  const dlq = `${topic}.dlq`;
  const dropTopics = await createTopics(kafka, [{ topic }, { topic: dlq }]);
  await produce(kafka, topic, [{ key: "k", value: "needle" }]);
  await produce(kafka, dlq, [{
    key: "k",
    value: "poison",
    headers: {
      [DLQ_HEADERS.error]: "rejected by the test",
      [DLQ_HEADERS.code]: "TEST",
      [DLQ_HEADERS.topic]: topic,
      [DLQ_HEADERS.partition]: "0",
      [DLQ_HEADERS.offset]: "0",
    },
  }]);
  const messages = consoleReader({ limits: { tailMaxMs: 60_000 } });
  const { app, close } = await testApp({ auth: testAuth(), messages, heartbeatMs: 100 });
  const get = (path: string, who: "viewer" | "operator", accept = "*/*") =>
    app.fetch(
      new Request(`${ORIGIN}${path}`, { headers: { ...basic(who), accept } as HeadersInit }),
    );
  const tails: ReturnType<typeof sseReader>[] = [];
  try {
    await t.step("four live tails of the viewer run", async () => {
      for (let i = 0; i < 4; i++) {
        const response = await get(`/api/topics/${topic}/messages/tail`, "viewer");
        assert.equal(response.status, 200);
        const tail = sseReader(response);
        tails.push(tail);
        await tail.until(() => tail.events.some((e) => e.event === "open"), 10_000);
        const open = JSON.parse(tail.events.find((e) => e.event === "open")!.data);
        assert.equal(open.limitMs, 60_000);
        assert.ok(Date.parse(open.endsAt) > Date.now() + 50_000, "the tail says when it ends");
      }
      assert.equal(messages.active().filter((s) => s.user === "viewer").length, 4);
    });
    await t.step("the operator's search still runs to its page", async () => {
      const response = await get(`/api/topics/${topic}/messages/search?value=needle`, "operator");
      assert.equal(response.status, 200);
      const search = sseReader(response);
      await search.until(() => search.events.some((e) => e.event === "page"), 20_000);
      const page = JSON.parse(search.events.find((e) => e.event === "page")!.data);
      assert.equal(page.messages.length, 1);
    });
    await t.step("the operator's redrive still runs", async () => {
      const response = await app.fetch(
        new Request(`${ORIGIN}/api/dlq/${dlq}/redrive`, {
          method: "POST",
          headers: { ...basic("operator"), "content-type": "application/json" },
          body: JSON.stringify({ messages: [{ partition: 0, offset: 0 }] }),
        }),
      );
      const body = await response.json();
      assert.equal(response.status, 200, JSON.stringify(body));
      assert.equal(body.redriven.length, 1);
    });
    await t.step("the viewer's fifth stream: 429 naming who holds what", async () => {
      for (
        const path of [
          `/api/topics/${topic}/messages/tail`,
          `/api/topics/${topic}/messages/search?value=x`,
        ]
      ) {
        const response = await get(path, "viewer");
        assert.equal(response.status, 429);
        assert.equal(response.headers.get("retry-after"), "5");
        const { error } = await response.json();
        assert.match(
          error.message,
          /^viewer holds 4 of the 4 searches and live tails one user may hold: /,
        );
        const holders = error.message.match(
          /viewer \(viewer\): live tail of [^ ]+ since \d{4}-\d\d-\d\dT[\d:]+Z/g,
        );
        assert.equal(holders?.length, 4, error.message);
        assert.ok(error.message.includes(`live tail of ${topic}`));
      }
      const filtered = await get(`/api/topics/${topic}/messages?value=x`, "viewer");
      assert.equal(filtered.status, 429, "a filtered page is a search too");
      await filtered.body?.cancel();
    });
    await t.step("the page's EventSource gets the same refusal as an error event", async () => {
      const response = await get(
        `/api/topics/${topic}/messages/tail`,
        "viewer",
        "text/event-stream",
      );
      assert.equal(response.status, 200);
      const text = await response.text();
      const data = JSON.parse(/event: error\ndata: (.*)\n/.exec(text)![1]);
      assert.equal(data.status, 429);
      assert.match(data.message, /viewer holds 4 of the 4/);
    });
    await t.step("a tail that ends frees its slot", async () => {
      await tails.pop()!.cancel();
      await waitFor("the slot freed", () => messages.active().length === 3, 5_000);
      const response = await get(`/api/topics/${topic}/messages/tail`, "viewer");
      assert.equal(response.status, 200);
      tails.push(sseReader(response));
    });
  } finally {
    for (const tail of tails) await tail.cancel().catch(() => {});
    await waitFor("every stream closed", () => messages.active().length === 0, 5_000).catch(
      () => {},
    );
    await close();
    await messages.close();
    await dropTopics();
  }
});

Deno.test("stream fairness - a live tail stops at its time limit, counting down", async () => {
  const kafka = adminKafka();
  const topic = randomName("fair-limit");
  const dropTopics = await createTopics(kafka, [{ topic }]);
  const messages = consoleReader({ limits: { tailMaxMs: 2_500 } });
  const { app, close } = await testApp({ auth: testAuth(), messages });
  try {
    const started = Date.now();
    const response = await app.fetch(
      new Request(`${ORIGIN}/api/topics/${topic}/messages/tail`, { headers: basic("viewer") }),
    );
    const tail = sseReader(response);
    await tail.until(() => tail.events.some((e) => e.event === "open"), 10_000);
    await produce(kafka, topic, [{ key: "k", value: "during" }]);
    await tail.until(() => tail.events.some((e) => e.event === "messages"), 10_000);
    const batch = JSON.parse(tail.events.find((e) => e.event === "messages")!.data);
    assert.ok(
      batch.remainingMs > 0 && batch.remainingMs <= 2_500,
      `remainingMs ${batch.remainingMs}`,
    );
    await tail.until(() => tail.events.some((e) => e.event === "end"), 10_000).catch((e) => {
      if (!tail.events.some((x) => x.event === "end")) throw e;
    });
    const end = JSON.parse(tail.events.find((e) => e.event === "end")!.data);
    assert.equal(end.reason, "time limit");
    assert.match(end.message, /stopped after its 3-second limit \(FRESHET_TAIL_MAX_MINUTES\)/);
    assert.ok(Date.now() - started >= 2_400, "not before its limit");
    await waitFor("the slot freed", () => messages.active().length === 0, 5_000);
  } finally {
    await close();
    await messages.close();
    await dropTopics();
  }
});

Deno.test("stream fairness - the limits come from the environment, checked", async () => {
  const { loadStreamLimits } = await import("../services/console/messages/stream_limits.ts");
  assert.deepEqual(loadStreamLimits({}), {
    total: 8,
    perUser: 4,
    operatorReserved: 2,
    tailMaxMs: 30 * 60_000,
  });
  assert.equal(loadStreamLimits({ FRESHET_TAIL_MAX_MINUTES: "5" }).tailMaxMs, 300_000);
  assert.throws(
    () => loadStreamLimits({ FRESHET_STREAMS_TOTAL: "2", FRESHET_STREAMS_OPERATOR_RESERVED: "2" }),
    /FRESHET_STREAMS_OPERATOR_RESERVED: 2 leaves viewers no stream/,
  );
  assert.throws(
    () => loadStreamLimits({ FRESHET_STREAMS_PER_USER: "0" }),
    /FRESHET_STREAMS_PER_USER/,
  );
});

/**
 * Live updates: bus messages reach an SSE client of `app.fetch`, coalesced,
 * and the bus subscription is released when the client goes away.
 */
import assert from "node:assert/strict";
import { createApp } from "../main.ts";
import { closeBus, publish } from "../shared/bus/bus.ts";
import { countingSubscribe, fakeProbe, sseReader, statusOf } from "./web_helpers.ts";

async function setup(coalesceMs = 100) {
  const bus = countingSubscribe();
  const shutdown = new AbortController();
  const app = await createApp({
    brokerProbe: fakeProbe(),
    subscribe: bus.subscribe,
    shutdown: shutdown.signal,
    coalesceMs,
  });
  const open = async (query = "") => {
    const res = await app.fetch(new Request(`http://127.0.0.1:8000/api/events${query}`));
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /^text\/event-stream/);
    return sseReader(res);
  };
  return { bus, shutdown, open };
}

Deno.test("sse - a message published on the bus reaches the client, filtered by topic", async () => {
  const { bus, open } = await setup();
  const client = await open("?topics=demands,consumer");
  try {
    assert.equal(bus.open(), 1);
    publish("orders", "created", { orderId: "o-1" });
    publish("demands", "created", { id: "d-1", note: "</script><script>alert(1)</script>" });
    await client.until(() => client.messages().length >= 1);
    const [message] = client.messages();
    assert.equal(message.topic, "demands");
    assert.deepEqual(message.data, { id: "d-1", note: "</script><script>alert(1)</script>" });
    publish("consumer", "status", statusOf());
    await client.until(() => client.messages().length >= 2);
    assert.deepEqual(client.messages().map((m) => m.topic), ["demands", "consumer"]);
  } finally {
    await client.cancel();
    closeBus();
  }
});

Deno.test("sse - a burst is coalesced into few writes, keeping only the newest status", async () => {
  const { open } = await setup(300);
  const client = await open();
  try {
    await client.until(() => client.chunks.length >= 1); // the "connected" comment
    publish("demands", "created", { n: 0 });
    await client.until(() => client.messages().length >= 1); // first of a quiet spell: at once
    const chunksBefore = client.chunks.length;
    for (let n = 1; n <= 20; n++) {
      publish("demands", "created", { n });
      publish("consumer", "status", statusOf({ lag: n }));
    }
    await client.until(() => client.messages().some((m) => m.topic === "consumer"));
    const demands = client.messages().filter((m) => m.topic === "demands");
    const statuses = client.messages().filter((m) => m.topic === "consumer");
    assert.deepEqual(demands.map((m) => (m.data as { n: number }).n), [...Array(21).keys()]);
    assert.equal(client.chunks.length - chunksBefore, 1, "the burst went out in one write");
    assert.deepEqual(statuses.map((m) => (m.data as { lag: number }).lag), [20]);
  } finally {
    await client.cancel();
    closeBus();
  }
});

Deno.test("sse - a steady stream is written at most once per coalesceMs, every message kept", async () => {
  const coalesceMs = 50;
  const { open } = await setup(coalesceMs);
  const client = await open("?topics=demands");
  try {
    await client.until(() => client.chunks.length >= 1); // the "connected" comment
    const chunksBefore = client.chunks.length;
    const started = performance.now();
    for (let n = 0; n < 150; n++) {
      publish("demands", "created", { n });
      await new Promise((r) => setTimeout(r, 2));
    }
    await client.until(() => client.messages().length >= 150, 5_000);
    const elapsed = performance.now() - started;
    const writes = client.chunks.length - chunksBefore;
    assert.deepEqual(client.messages().map((m) => (m.data as { n: number }).n), [
      ...Array(150).keys(),
    ]);
    // One write at once (idle), then at most one per window: a busy topic cannot flood the page.
    assert.ok(writes <= Math.ceil(elapsed / coalesceMs) + 1, `${writes} writes in ${elapsed} ms`);
    assert.ok(writes < 150, "messages were batched");
  } finally {
    await client.cancel();
    closeBus();
  }
});

Deno.test("sse - the bus subscription is released when the client goes away", async (t) => {
  await t.step("client cancels the stream", async () => {
    const { bus, open } = await setup();
    const client = await open("?topics=consumer");
    await client.until(() => client.chunks.length >= 1);
    assert.equal(bus.open(), 1);
    await client.cancel();
    assert.equal(bus.open(), 0);
  });
  await t.step("HEAD gets the headers only", async () => {
    const { bus } = await setup();
    const app = await createApp({ brokerProbe: fakeProbe(), subscribe: bus.subscribe });
    const res = await app.fetch(
      new Request("http://127.0.0.1:8000/api/events", { method: "HEAD" }),
    );
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "");
    assert.equal(bus.open(), 0);
  });
  await t.step("server shuts down", async () => {
    const { bus, shutdown, open } = await setup();
    const clients = [await open(), await open()];
    assert.equal(bus.open(), 2);
    shutdown.abort();
    assert.equal(bus.open(), 0);
    for (const client of clients) {
      await assert.rejects(client.until(() => false), /stream ended/);
    }
  });
});

Deno.test("sse - a malformed topic list is refused with 400", async () => {
  const { bus } = await setup();
  const app = await createApp({ brokerProbe: fakeProbe(), subscribe: bus.subscribe });
  const res = await app.fetch(new Request("http://127.0.0.1:8000/api/events?topics=a,<b>"));
  assert.equal(res.status, 400);
  assert.match((await res.json()).error.message, /bad topic name/);
  assert.equal(bus.open(), 0);
});

Deno.test("sse - a browser holds at most its share of streams; the one beyond is refused, said why", async (t) => {
  const bus = countingSubscribe();
  const app = await createApp({ brokerProbe: fakeProbe(), subscribe: bus.subscribe });
  const cookie = (id: string) => `freshet_browser=${id.padEnd(20, "0")}`;
  const get = (id: string, page: string, accept = "text/event-stream") =>
    app.fetch(
      new Request(`http://127.0.0.1:8000/api/events?page=${page}`, {
        headers: { cookie: cookie(id), accept },
      }),
    );
  const held: ReturnType<typeof sseReader>[] = [];
  try {
    await t.step("four streams of one browser are served", async () => {
      for (const page of ["/", "/monitor", "/demands", "/orders"]) {
        const res = await get("a", page);
        assert.equal(res.status, 200);
        held.push(sseReader(res));
      }
      assert.equal(bus.open(), 4);
    });
    await t.step("the fifth is an error event an EventSource reads, naming the four", async () => {
      const res = await get("a", "/balances");
      assert.equal(res.status, 200);
      const body = await res.text();
      assert.match(body, /^retry: 86400000\nevent: error\ndata: /);
      const data = JSON.parse(body.split("data: ")[1]);
      assert.equal(data.status, 429);
      assert.match(data.message, /already holds 4 live streams/);
      for (const page of ["/", "/monitor", "/demands", "/orders"]) {
        assert.ok(data.message.includes(`live updates of ${page} since`), page);
      }
      assert.equal(bus.open(), 4, "no subscription for the refused one");
    });
    await t.step("a client that is not an EventSource gets the 429 itself", async () => {
      const res = await get("a", "/balances", "*/*");
      assert.equal(res.status, 429);
      assert.equal(res.headers.get("retry-after"), "15");
      assert.match((await res.json()).error.message, /already holds 4 live streams/);
    });
    await t.step("another browser has its own share", async () => {
      const res = await get("b", "/");
      assert.equal(res.status, 200);
      held.push(sseReader(res));
      assert.equal(bus.open(), 5);
    });
    await t.step("a stream that ends gives its slot back", async () => {
      await held.shift()!.cancel();
      const res = await get("a", "/balances");
      assert.match(res.headers.get("content-type")!, /^text\/event-stream/);
      held.push(sseReader(res));
      await held.at(-1)!.until(() => held.at(-1)!.chunks.length >= 1);
      assert.equal(bus.open(), 5);
    });
    await t.step("a page gives a browser without one its cookie", async () => {
      const res = await app.fetch(new Request("http://127.0.0.1:8000/login"));
      await res.body?.cancel();
      assert.match(
        res.headers.get("set-cookie") ?? "",
        /^freshet_browser=[0-9a-f]{32}; Path=\/; HttpOnly; SameSite=Strict$/,
      );
      const again = await app.fetch(
        new Request("http://127.0.0.1:8000/login", { headers: { cookie: cookie("a") } }),
      );
      await again.body?.cancel();
      assert.equal(again.headers.get("set-cookie"), null);
    });
  } finally {
    for (const client of held) await client.cancel();
    closeBus();
  }
});

Deno.test("sse - a client without the browser cookie (a script) is not held to a browser's share", async () => {
  const bus = countingSubscribe();
  const app = await createApp({ brokerProbe: fakeProbe(), subscribe: bus.subscribe });
  const held: ReturnType<typeof sseReader>[] = [];
  try {
    for (let i = 0; i < 6; i++) {
      const res = await app.fetch(new Request("http://127.0.0.1:8000/api/events"));
      assert.equal(res.status, 200);
      held.push(sseReader(res));
    }
    assert.equal(bus.open(), 6);
  } finally {
    for (const client of held) await client.cancel();
    closeBus();
  }
});

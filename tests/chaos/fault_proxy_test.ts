import assert from "node:assert/strict";
import { createKafka } from "../../shared/kafka/client.ts";
import { FaultProxy } from "./fault_proxy.ts";

/** An echo server on a free port of 127.0.0.1. */
function echoServer(): { port: number; close(): void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns = new Set<Deno.Conn>();
  (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      conn.readable.pipeTo(conn.writable).catch(() => {}).finally(() => conns.delete(conn));
    }
  })().catch(() => {});
  return {
    port: (listener.addr as Deno.NetAddr).port,
    close() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* closed */ }
      }
    },
  };
}

/** A Kafka-framed message (int32 size, then `size` bytes). */
function frame(text: string): Uint8Array {
  const body = new TextEncoder().encode(text.padEnd(8, "."));
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setInt32(0, body.length);
  out.set(body, 4);
  return out;
}

const pending = new Map<Deno.Conn, Promise<Uint8Array | null>>();

/** Reads what comes within `ms` (null when the connection closed); a read cut short is kept. */
async function readWithin(conn: Deno.Conn, ms: number): Promise<Uint8Array | null | "nothing"> {
  let read = pending.get(conn);
  if (!read) {
    const buffer = new Uint8Array(1024);
    read = conn.read(buffer).then((n) => (n === null ? null : buffer.slice(0, n)), () => null);
    pending.set(conn, read);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const result = await Promise.race([
    read,
    new Promise<"nothing">((r) => (timer = setTimeout(() => r("nothing"), ms))),
  ]);
  clearTimeout(timer);
  if (result !== "nothing") pending.delete(conn);
  return result;
}

Deno.test("fault proxy - forwards, delays, blackholes, cuts and refuses on command", async (t) => {
  const echo = echoServer();
  const proxy = new FaultProxy({
    listen: { hostname: "127.0.0.1", port: 0 },
    target: { hostname: "127.0.0.1", port: echo.port },
  });
  proxy.start();
  const connect = () => Deno.connect({ hostname: "127.0.0.1", port: proxy.options.listen.port });
  const conns: Deno.Conn[] = [];
  try {
    await t.step("forwards both ways", async () => {
      const conn = await connect();
      conns.push(conn);
      await conn.write(frame("hello"));
      const got = await readWithin(conn, 2_000);
      assert.ok(got instanceof Uint8Array);
      assert.match(new TextDecoder().decode(got), /hello/);
    });
    await t.step("delay: an answer takes at least the delay each way", async () => {
      proxy.delay(200);
      const started = Date.now();
      await conns[0].write(frame("slow"));
      assert.ok((await readWithin(conns[0], 3_000)) instanceof Uint8Array);
      assert.ok(Date.now() - started >= 390, `${Date.now() - started} ms`);
      proxy.heal();
    });
    await t.step("blackhole: nothing through, the connection open; healed, it flows", async () => {
      proxy.blackhole(true);
      await conns[0].write(frame("lost"));
      assert.equal(await readWithin(conns[0], 300), "nothing");
      proxy.heal();
      await conns[0].write(frame("back"));
      const got = await readWithin(conns[0], 2_000);
      assert.ok(got instanceof Uint8Array);
      assert.match(new TextDecoder().decode(got), /back/);
    });
    await t.step("cut: open connections closed, new ones accepted", async () => {
      proxy.cut();
      assert.equal(await readWithin(conns[0], 2_000), null);
      const conn = await connect();
      conns.push(conn);
      await conn.write(frame("again"));
      assert.ok((await readWithin(conn, 2_000)) instanceof Uint8Array);
    });
    await t.step("refuse: a new connection is closed at once", async () => {
      proxy.refuse(true);
      const conn = await connect();
      conns.push(conn);
      assert.equal(await readWithin(conn, 2_000), null);
      proxy.heal();
    });
  } finally {
    for (const c of conns) {
      try {
        c.close();
      } catch { /* closed */ }
    }
    proxy.close();
    echo.close();
  }
});

Deno.test("fault proxy - loses the answer to a Kafka request and closes the connection", async () => {
  const proxy = new FaultProxy({
    listen: { hostname: "127.0.0.1", port: 0 },
    target: { hostname: "127.0.0.1", port: 9092 },
  });
  proxy.start();
  const kafka = createKafka({
    brokers: [proxy.address],
    local: true,
    clientId: "fault-proxy-test",
    sasl: { mechanism: "scram-sha-256", username: "admin", password: "admin-secret" },
  }, { quiet: true });
  const admin = kafka.admin();
  try {
    proxy.loseAnswers(18, 1); // ApiVersions, the first request of a connection
    await admin.connect(); // KafkaJS connects again after the lost answer
    assert.equal(proxy.lost, 1);
    assert.ok(proxy.accepted >= 2, `${proxy.accepted} connections`);
    assert.ok((await admin.describeCluster()).clusterId.length > 0);
  } finally {
    await admin.disconnect();
    proxy.close();
  }
});

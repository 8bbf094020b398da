import assert from "node:assert/strict";
import { loadKafkaConfig } from "../kafka/config.ts";
import { createBrokerProbe } from "./broker_probe.ts";

/** A TCP port that accepts connections and never answers, like a hung broker. */
function silentBroker() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const conns: Deno.Conn[] = [];
  (async () => {
    for await (const conn of listener) conns.push(conn);
  })().catch(() => {});
  return {
    address: `127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    accepted: () => conns.length,
    close() {
      listener.close();
      for (const conn of conns) conn.close();
    },
  };
}

Deno.test("broker probe - a broker that never answers is reported unreachable within the timeout", async () => {
  const broker = silentBroker();
  try {
    const probe = createBrokerProbe(
      loadKafkaConfig("web", { KAFKA_BROKERS: broker.address }),
      { timeoutMs: 300, cacheMs: 60_000 },
    );
    const started = Date.now();
    const [first, second] = await Promise.all([probe.check(), probe.check()]);
    assert.ok(Date.now() - started < 1_500, "answered within the timeout");
    assert.equal(first.reachable, false);
    assert.match(first.error ?? "", /no answer within 300 ms/);
    assert.equal(second, first, "concurrent checks share one attempt");
    assert.equal(await probe.check(), first, "the result is cached");
    assert.equal(broker.accepted(), 1);
  } finally {
    broker.close();
    // Let KafkaJS see the closed socket and settle its own timers.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
});

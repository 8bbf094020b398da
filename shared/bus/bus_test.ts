import assert from "node:assert/strict";
import { BUS_NAME, type BusMessage, closeBus, publish, relayWorkerBus, subscribe } from "./bus.ts";

/** The next message `pick` accepts, within 30 s (a Worker starts slowly on a loaded machine). */
function next(messages: BusMessage[], pick: (m: BusMessage) => boolean): Promise<BusMessage> {
  const deadline = Date.now() + 30_000;
  return new Promise((resolve, reject) => {
    const look = () => {
      const found = messages.find(pick);
      if (found) return resolve(found);
      if (Date.now() > deadline) return reject(new Error("no such message within 30 s"));
      setTimeout(look, 10);
    };
    look();
  });
}

Deno.test("bus - a Worker on its host's bus: publishes through the host, receives only its topics, opens no BroadcastChannel", async () => {
  const seen: BusMessage[] = [];
  const stop = subscribe((message) => seen.push(message));
  const worker = new Worker(new URL("./host_bus_fixture.ts", import.meta.url), { type: "module" });
  const relay = relayWorkerBus(worker);
  worker.onmessage = (event) => relay.onMessage(event.data);
  try {
    const hello = await next(seen, (m) => m.topic === "hello");
    assert.deepEqual(hello.data, { opened: 0 });
    // Its subscription reaches the host after its hello: wait until a message of `a` comes back.
    const sending = setInterval(() => {
      publish("b", "not-wanted", {});
      publish("a", "wanted", {});
    }, 20);
    await next(seen, (m) => m.topic === "echo").finally(() => clearInterval(sending));
    await new Promise((r) => setTimeout(r, 200));
    const echoes = seen.filter((m) => m.topic === "echo");
    assert.ok(echoes.every((m) => (m.data as { topic: string }).topic === "a"), "never topic b");
    assert.ok(echoes.every((m) => (m.data as { opened: number }).opened === 0));
  } finally {
    worker.terminate();
    relay.close();
    stop();
    closeBus();
  }
});

Deno.test("bus - a channel that refuses a message drops it, and the next one goes out on a new channel", async () => {
  const seen: unknown[] = [];
  const listener = new BroadcastChannel(BUS_NAME);
  listener.onmessage = (event) => seen.push((event as MessageEvent).data.data);
  const post = BroadcastChannel.prototype.postMessage;
  let refusals = 1;
  BroadcastChannel.prototype.postMessage = function (this: BroadcastChannel, message: unknown) {
    if (refusals-- > 0) throw new TypeError("expected i32");
    return post.call(this, message);
  };
  try {
    publish("t", "first", 1); // refused: must not throw
    publish("t", "second", 2);
    for (const until = Date.now() + 5_000; seen.length === 0 && Date.now() < until;) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.deepEqual(seen, [2]);
  } finally {
    BroadcastChannel.prototype.postMessage = post;
    listener.close();
    closeBus();
  }
});

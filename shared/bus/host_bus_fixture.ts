/**
 * A Worker for bus_test.ts: uses its host's bus, counts the
 * BroadcastChannels it opens, subscribes to topic `a`, echoes what it
 * receives on `echo` and says hello on `hello` once subscribed.
 */
import { publish, subscribe, useHostBus } from "./bus.ts";

let opened = 0;
const Original = globalThis.BroadcastChannel;
globalThis.BroadcastChannel = class extends Original {
  constructor(name: string) {
    super(name);
    opened++;
  }
};
useHostBus();
subscribe((message) => publish("echo", "of", { topic: message.topic, opened }), ["a"]);
publish("hello", "from-worker", { opened });

/** Helpers of the web tests: fixture app, fake broker, status reports, SSE reading. */
import type { BusMessage } from "../shared/bus/bus.ts";
import { subscribe } from "../shared/bus/bus.ts";
import type { ConsumerStatus } from "../shared/consumer/status.ts";
import type { BrokerHealth, BrokerProbe } from "../shared/web/broker_probe.ts";
import type { BusSubscribe } from "../shared/web/services.ts";

/** Root of the fixture app (routes/ and islands/ of its own). */
export const FIXTURE_ROOT = new URL("./fixtures/web/", import.meta.url);

/** A broker probe answering `health` without a network. */
export function fakeProbe(health: BrokerHealth = { reachable: true, brokers: 1 }): BrokerProbe {
  return { check: () => Promise.resolve(health) };
}

/** A consumer status report with sensible values. */
export function statusOf(overrides: Partial<ConsumerStatus> = {}): ConsumerStatus {
  return {
    name: "doctor",
    groupId: "doctor-group",
    topics: ["demands.created"],
    state: "running",
    mode: "worker",
    lag: 3,
    partitionLag: { "demands.created:0": 1, "demands.created:1": 2 },
    counters: { processed: 10, deadLettered: 1, skipped: 2, batches: 4, retries: 0 },
    at: Date.now(),
    ...overrides,
  };
}

/** The bus `subscribe`, counting subscriptions still open. */
export function countingSubscribe(): { subscribe: BusSubscribe; open(): number } {
  let open = 0;
  return {
    subscribe(listener) {
      const stop = subscribe(listener);
      open++;
      let stopped = false;
      return () => {
        if (stopped) return;
        stopped = true;
        open--;
        stop();
      };
    },
    open: () => open,
  };
}

/** Reads an SSE body: each `read` returns the events seen until `done` says so. */
export function sseReader(response: Response) {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const events: { event: string; data: string }[] = [];
  const chunks: number[] = [];
  let pending: Promise<ReadableStreamReadResult<string>> | undefined;
  const parse = () => {
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const lines = block.split("\n");
      const data = lines.filter((l) => l.startsWith("data: ")).map((l) => l.slice(6));
      const event = lines.find((l) => l.startsWith("event: "))?.slice(7) ?? "message";
      if (data.length > 0) events.push({ event, data: data.join("\n") });
    }
  };
  return {
    events,
    /** Number of body chunks received (one per flush). */
    chunks,
    messages: () =>
      events.filter((e) => e.event === "message").map((e) => JSON.parse(e.data) as BusMessage),
    async until(done: () => boolean, timeoutMs = 2_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!done()) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`SSE: condition not met within ${timeoutMs} ms`);
        pending ??= reader.read();
        let timer: ReturnType<typeof setTimeout> | undefined;
        const result = await Promise.race([
          pending,
          new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), left))),
        ]);
        clearTimeout(timer);
        if (result === undefined) continue;
        pending = undefined;
        if (result.done) throw new Error("SSE: stream ended");
        chunks.push(result.value.length);
        buffer += result.value;
        parse();
      }
    },
    cancel: () => reader.cancel(),
  };
}

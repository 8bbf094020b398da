/**
 * The live benchmark's client, run as a Worker (see live_bench.ts): it
 * reads `GET /api/events`, posts demands to the REST proxy (first one at a
 * time with pauses, then at a steady rate), and matches every update on the
 * stream to the demand it announces. Producer and reader share one clock.
 */
import { inWorker } from "../shared/core/fatal.ts";
import { KAFKA_JSON_V2, KAFKA_V2 } from "../services/rest_proxy/mod.ts";
import { DEMANDS_BUS_TOPIC } from "../services/demands/demand_view.ts";
import { benchDemand } from "./bench_demand.ts";

/** Latencies of one phase, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Demands whose arrival was a `bulk` note rather than their own. */
  viaBulk: number;
  /** Writes (body chunks) the SSE client received in the phase. */
  writes: number;
}

/** What the live benchmark measured. */
export interface LiveBenchResult {
  idle: LatencySummary;
  loaded: LatencySummary;
  /** Median time from sending a request to its 200 (produced, acks=all), loaded phase. */
  produceP50: number;
  /**
   * The loaded phase split at the bus note's publication (its `at`, written by the
   * doctor after its transaction): produce → note (HTTP, Kafka, the doctor's fetch
   * and transaction) and note → client (bus, coalescing, SSE); p50 and p99, ms.
   */
  split: { toNote: [number, number]; noteToClient: [number, number] };
  /** The rate actually achieved by the sender in the loaded phase. */
  sentPerSec: number;
}

/** What the client is asked to do. */
export interface ClientRequest {
  base: string;
  topic: string;
  ratePerSec: number;
  seconds: number;
  perRequest: number;
  idleMessages: number;
}

/** The `q` quantile of sorted values (nearest rank). */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

/** Requests the client keeps in flight at most (each holds a connection). */
const MAX_IN_FLIGHT = 64;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The client: reads the SSE stream, sends demands, matches each to its update. */
export async function runClient(request: ClientRequest): Promise<LiveBenchResult> {
  const sentAt = new Map<string, number>();
  /** Ids sent and not seen yet, oldest first (for `bulk` notes). */
  const outstanding: string[] = [];
  let head = 0;
  const arrivals: { latency: number; viaBulk: boolean; phase: string }[] = [];
  /** Date.now() − performance.now(): bus notes carry wall-clock times. */
  const wall = Date.now() - performance.now();
  const toNote: number[] = [];
  const noteToClient: number[] = [];
  let writes = 0;
  let phase = "warm-up";
  const seen = new Set<string>();
  const arrived = (id: string, at: number, viaBulk: boolean) => {
    const sent = sentAt.get(id);
    if (sent === undefined || seen.has(id)) return;
    seen.add(id);
    arrivals.push({ latency: at - sent, viaBulk, phase: id.split("-")[1] });
  };

  const arriveOldest = (at: number) => {
    while (head < outstanding.length && seen.has(outstanding[head])) head++;
    if (head < outstanding.length) arrived(outstanding[head++], at, true);
  };

  const events = await fetch(`${request.base}/api/events?topics=${DEMANDS_BUS_TOPIC}`);
  const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
  const reading = (async () => {
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const at = performance.now();
      writes++;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!block.startsWith("data: ")) continue;
        const message = JSON.parse(block.slice(6));
        if (message.type === "bulk") {
          for (let n = 0; n < message.data.count; n++) arriveOldest(at);
        } else if (message.data?.demand?.id) {
          const id = message.data.demand.id;
          // Already counted by a bulk note's guess: this update stands for the oldest unseen one.
          if (seen.has(id)) arriveOldest(at);
          else {
            if (id.startsWith("live-load-") && sentAt.has(id)) {
              toNote.push(message.at - (sentAt.get(id)! + wall));
              noteToClient.push(at + wall - message.at);
            }
            arrived(id, at, false);
          }
        }
      }
    }
  })();

  let produceTimes: number[] = [];
  /**
   * Sends demands `first`… (`count` of them) in one request; their latency counts from `due`
   * (their planned time, so a slow server cannot hide its queue: no coordinated omission).
   */
  const post = async (name: string, first: number, count = 1, due = performance.now()) => {
    const records = [];
    for (let i = first; i < first + count; i++) {
      const id = `live-${name}-${i}`;
      sentAt.set(id, due);
      outstanding.push(id);
      records.push({ key: id, value: { ...JSON.parse(benchDemand(i)), id } });
    }
    const started = performance.now();
    const res = await fetch(`${request.base}/topics/${request.topic}`, {
      method: "POST",
      headers: { "content-type": KAFKA_JSON_V2, accept: KAFKA_V2 },
      body: JSON.stringify({ records }),
    });
    const body = await res.json();
    if (res.status !== 200 || body.offsets.some((o: { error_code: unknown }) => o.error_code)) {
      throw new Error(`produce: ${res.status} ${JSON.stringify(body)}`);
    }
    produceTimes.push(performance.now() - started);
  };
  const waitFor = async (count: number, timeoutMs: number) => {
    const deadline = performance.now() + timeoutMs;
    while (seen.size < count) {
      if (performance.now() > deadline) {
        throw new Error(`live: ${seen.size} of ${count} updates arrived (phase ${phase})`);
      }
      await sleep(5);
    }
  };

  // Warm-up: connections, metadata, the doctor's first fetches.
  for (let i = 0; i < 20; i++) await post("warm", i);
  await waitFor(20, 30_000);

  phase = "idle";
  const writesBefore = writes;
  for (let i = 0; i < request.idleMessages; i++) {
    await post("idle", i);
    await waitFor(20 + i + 1, 10_000);
    await sleep(150);
  }
  const idleWrites = writes - writesBefore;

  phase = "loaded";
  produceTimes = [];
  const total = Math.round(request.ratePerSec * request.seconds);
  const posts: Promise<void>[] = [];
  const inFlight = new Set<Promise<void>>();
  const writesLoaded = writes;
  const started = performance.now();
  for (let i = 0; i < total;) {
    const due = started + (i * 1000) / request.ratePerSec;
    const count = Math.min(request.perRequest, total - i);
    const now = performance.now();
    if (now < due) {
      await sleep(Math.max(1, due - now));
      continue;
    }
    if (inFlight.size >= MAX_IN_FLIGHT) {
      await Promise.race(inFlight); // a slow server delays sends; latency still counts from `due`
      continue;
    }
    const sending = post("load", i, count, due);
    inFlight.add(sending);
    sending.finally(() => inFlight.delete(sending)).catch(() => {});
    posts.push(sending);
    i += count;
  }
  const sentPerSec = total / ((performance.now() - started) / 1000);
  await Promise.all(posts);
  await waitFor(20 + request.idleMessages + total, 60_000);
  const loadedWrites = writes - writesLoaded;
  await reader.cancel();
  await reading.catch(() => {});

  const summary = (name: string, phaseWrites: number): LatencySummary => {
    const list = arrivals.filter((a) => a.phase === name);
    const sorted = list.map((a) => a.latency).sort((a, b) => a - b);
    const round = (n: number) => Math.round(n * 10) / 10;
    return {
      count: sorted.length,
      p50: round(quantile(sorted, 0.5)),
      p90: round(quantile(sorted, 0.9)),
      p99: round(quantile(sorted, 0.99)),
      max: round(sorted.at(-1) ?? NaN),
      viaBulk: list.filter((a) => a.viaBulk).length,
      writes: phaseWrites,
    };
  };
  produceTimes.sort((a, b) => a - b);
  const p50p99 = (list: number[]): [number, number] => {
    const sorted = list.sort((a, b) => a - b);
    return [quantile(sorted, 0.5), quantile(sorted, 0.99)].map((n) => Math.round(n * 10) / 10) as [
      number,
      number,
    ];
  };
  return {
    split: { toNote: p50p99(toNote), noteToClient: p50p99(noteToClient) },
    idle: summary("idle", idleWrites),
    loaded: summary("load", loadedWrites),
    produceP50: Math.round(quantile(produceTimes, 0.5) * 10) / 10,
    sentPerSec: Math.round(sentPerSec),
  };
}

if (inWorker()) {
  self.onmessage = async ({ data }: MessageEvent<ClientRequest>) => {
    const result = await runClient(data).catch((error) => ({
      error: String(error?.stack ?? error),
    }));
    self.postMessage(result);
  };
}

/**
 * V8 CPU profiles of a benchmark section, taken in process through the
 * inspector protocol (`node:inspector`; Deno has no `--cpu-prof`). The
 * `.cpuprofile` file opens in Chrome DevTools (Performance → Load profile);
 * `summarise` lists where the self time went, by function and by file.
 */
import { Session } from "node:inspector";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** A V8 CPU profile as the inspector returns it. */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

/** A running profile; `stop` ends it and returns it. */
export interface Profiler {
  stop(): Promise<CpuProfile>;
}

/** Starts sampling this isolate every `intervalUs` microseconds (default 500). */
export async function startProfile(intervalUs = 500): Promise<Profiler> {
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) =>
      session.post(
        method,
        params,
        (error: Error | null, result?: object) => error ? reject(error) : resolve(result as T),
      )
    );
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: intervalUs });
  await post("Profiler.start");
  return {
    async stop() {
      const { profile } = await post<{ profile: CpuProfile }>("Profiler.stop");
      await post("Profiler.disable");
      session.disconnect();
      return profile;
    },
  };
}

/** One line of a summary: a name and its share of the sampled time. */
export interface ProfileLine {
  name: string;
  percent: number;
}

function shortUrl(url: string): string {
  if (url === "") return "(native)";
  const npm = url.match(/node_modules\/(?:\.deno\/)?([^/]+?)@[^/]*\/node_modules\/[^/]+\/(.*)$/);
  if (npm) return `npm:${npm[1]}/${npm[2]}`;
  const local = url.match(/\/(bench|shared|services|consumers|routes|main\.ts)(.*)$/);
  if (local) return `${local[1]}${local[2]}`;
  return url.replace(/^.*\/ext\//, "ext:");
}

/** Where a sample's self time is counted, first match wins. */
const CATEGORIES: [string, (fn: string, url: string) => boolean][] = [
  ["idle (waiting for the broker or timers)", (fn) => fn === "(idle)"],
  ["the profiler itself", (_fn, url) => url.includes("inspector")],
  ["SQLite: BEGIN/COMMIT (WAL writes, checkpoints)", (fn, url) => url === "" && fn === "exec"],
  [
    "SQLite: statements (INSERT, lookups, offsets)",
    (fn, url) => url === "" && ["run", "get", "all", "iterate", "prepare"].includes(fn),
  ],
  ["garbage collection", (fn) => fn === "(garbage collector)"],
  [
    "KafkaJS on Deno's Buffer: fetch responses assembled, encoders (allocation, copies)",
    (_fn, url) => url.includes("internal/buffer.mjs"),
  ],
  ["KafkaJS: record decoding", (_fn, url) => url.includes("kafkajs/src/protocol")],
  ["KafkaJS: consumer, network, other", (_fn, url) => url.includes("kafkajs")],
  ["zod validation", (_fn, url) => url.includes("/zod")],
  [
    "UTF-8 decoding and JSON.parse",
    (fn, url) =>
      url.includes("consumer/decode.ts") || url.includes("text_encoding") ||
      fn.startsWith("op_encoding_decode"),
  ],
  [
    "the doctor's handler (row JSON, binding)",
    (_fn, url) => /services\/demands|consumers\//.test(url),
  ],
  ["the consumer runner", (_fn, url) => url.includes("shared/consumer")],
  [
    "bus notes (BroadcastChannel)",
    (_fn, url) => url.includes("broadcast_channel") || url.includes("shared/bus"),
  ],
];

/** Self time per function, per file and per category, largest first (`top` lines each). */
export function summarise(
  profile: CpuProfile,
  top = 25,
): {
  byFunction: ProfileLine[];
  byFile: ProfileLine[];
  byCategory: ProfileLine[];
  idlePercent: number;
} {
  const self = new Map<number, number>();
  const deltas = profile.timeDeltas ?? [];
  (profile.samples ?? []).forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  const byCategory = new Map<string, number>();
  let idle = 0;
  for (const node of profile.nodes) {
    const time = self.get(node.id) ?? 0;
    if (time === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") idle += time;
    const file = shortUrl(url);
    const fn = `${functionName || "(anonymous)"} ${file}${url ? `:${lineNumber + 1}` : ""}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + time);
    byFile.set(file, (byFile.get(file) ?? 0) + time);
    const category = CATEGORIES.find(([, test]) => test(functionName, url))?.[0] ?? "other";
    byCategory.set(category, (byCategory.get(category) ?? 0) + time);
  }
  const lines = (map: Map<string, number>) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, t]) => ({
      name,
      percent: Math.round((t / total) * 1000) / 10,
    }));
  return {
    byFunction: lines(byFunction),
    byFile: lines(byFile),
    byCategory: lines(byCategory),
    idlePercent: Math.round((idle / total) * 1000) / 10,
  };
}

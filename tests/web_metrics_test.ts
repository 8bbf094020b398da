/** `/metrics`: Prometheus text format with consumer, HTTP and process metrics. */
import assert from "node:assert/strict";
import process from "node:process";
import { createApp } from "../main.ts";
import { ConsumerStore } from "../shared/web/consumer_store.ts";
import { fakeProbe, statusOf } from "./web_helpers.ts";

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (-?[0-9.e+]+|NaN|[+-]Inf)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

interface Parsed {
  help: Map<string, string>;
  type: Map<string, string>;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

function parse(text: string): Parsed {
  const out: Parsed = { help: new Map(), type: new Map(), samples: [] };
  assert.ok(text.endsWith("\n"), "ends with a newline");
  for (const line of text.trimEnd().split("\n")) {
    const meta = line.match(/^# (HELP|TYPE) (\S+) (.*)$/);
    if (meta) {
      (meta[1] === "HELP" ? out.help : out.type).set(meta[2], meta[3]);
      continue;
    }
    const m = line.match(SAMPLE);
    assert.ok(m, `not a sample line: ${line}`);
    assert.ok(out.type.has(m[1]), `${m[1]} has a TYPE line before its samples`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (m[3] ?? "").matchAll(LABEL)) labels[key] = value;
    out.samples.push({ name: m[1], labels, value: Number(m[4]) });
  }
  return out;
}

Deno.test("metrics - consumer, HTTP, uptime and process metrics in the exposition format", async () => {
  const statuses = new ConsumerStore();
  statuses.update(statusOf({ name: "doctor" }));
  statuses.update(statusOf({
    name: 'we"ird\\name\n',
    state: "failed",
    partitionLag: { "orders.created:3": 7 },
    counters: { processed: 1, deadLettered: 0, skipped: 0, batches: 1, retries: 5 },
  }));
  const app = await createApp({ statuses, brokerProbe: fakeProbe() });
  await (await app.fetch(new Request("http://127.0.0.1:8000/health"))).body?.cancel();
  const res = await app.fetch(new Request("http://127.0.0.1:8000/metrics"));
  assert.equal(res.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  const metrics = parse(await res.text());
  const value = (name: string, labels: Record<string, string>) =>
    metrics.samples.find((s) =>
      s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)
    )?.value;

  for (const name of metrics.type.keys()) assert.ok(metrics.help.has(name), `HELP of ${name}`);
  for (const [name, type] of metrics.type) {
    assert.equal(name.endsWith("_total"), type === "counter", `${name} is a ${type}`);
  }
  assert.equal(value("freshet_consumer_processed_total", { consumer: "doctor" }), 10);
  assert.equal(value("freshet_consumer_dead_lettered_total", { consumer: "doctor" }), 1);
  assert.equal(value("freshet_consumer_skipped_total", { consumer: "doctor" }), 2);
  assert.equal(value("freshet_consumer_batches_total", { consumer: "doctor" }), 4);
  assert.equal(
    value("freshet_consumer_lag", { consumer: "doctor", topic: "demands.created", partition: "1" }),
    2,
  );
  assert.equal(value("freshet_consumer_up", { consumer: "doctor" }), 1);
  const weird = 'we\\"ird\\\\name\\n';
  assert.equal(value("freshet_consumer_retries_total", { consumer: weird }), 5);
  assert.equal(value("freshet_consumer_up", { consumer: weird }), 0);
  assert.equal(
    value("freshet_consumer_lag", { consumer: weird, topic: "orders.created", partition: "3" }),
    7,
  );
  assert.equal(
    value("freshet_http_requests_total", { method: "GET", route: "/health", status: "503" }),
    1,
    "the failed consumer made /health answer 503",
  );
  assert.ok((value("freshet_process_uptime_seconds", {}) ?? -1) > 0);
  // The process's own CPU time and memory, as Prometheus's client libraries name them.
  const cpuBefore = value("process_cpu_seconds_total", {})!;
  const rss = value("process_resident_memory_bytes", {})!;
  assert.ok(cpuBefore > 0, `process_cpu_seconds_total ${cpuBefore}`);
  assert.ok(rss > 20 * 2 ** 20 && rss < 4 * 2 ** 30, `process_resident_memory_bytes ${rss}`);
  // 200 ms of CPU, not of wall time: on a loaded machine 200 ms of wall time may get far less.
  const spent = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  };
  const from = spent();
  const started = performance.now();
  while (spent() - from < 0.2 && performance.now() - started < 20_000) Math.sqrt(Math.random());
  const burned = spent() - from;
  const again = parse(await (await app.fetch(new Request("http://127.0.0.1:8000/metrics"))).text());
  const cpuAfter = again.samples.find((s) => s.name === "process_cpu_seconds_total")!.value;
  const counted = cpuAfter - cpuBefore;
  assert.ok(burned >= 0.2, `the loop burned ${burned} s of CPU`);
  // Seconds, not milliseconds or microseconds: within the work done and what else ran meanwhile.
  assert.ok(counted >= 0.15 && counted < burned + 5, `${burned} s of work counted as ${counted} s`);
});

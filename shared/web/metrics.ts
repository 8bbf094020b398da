/**
 * The metric families of `/metrics`: consumer counters and lag from the
 * latest status reports, whether each consumer is up, HTTP requests, the
 * process's uptime, CPU time and resident memory.
 */
import type { ConsumerCounters } from "../consumer/status.ts";
import type { ConsumerRecord } from "./consumer_store.ts";
import { isUnhealthy } from "./health.ts";
import type { MetricFamily } from "./prometheus.ts";

const COUNTERS: [keyof ConsumerCounters, string, string][] = [
  ["processed", "freshet_consumer_processed_total", "Messages applied to SQLite."],
  ["deadLettered", "freshet_consumer_dead_lettered_total", "Messages sent to a dead-letter topic."],
  ["skipped", "freshet_consumer_skipped_total", "Redelivered messages skipped as already applied."],
  ["batches", "freshet_consumer_batches_total", "Batches committed."],
  ["retries", "freshet_consumer_retries_total", "Batch attempts that failed and were retried."],
];

/** Inputs of `metricFamilies`. */
export interface MetricsInput {
  consumers: ConsumerRecord[];
  http: MetricFamily["samples"];
  now: number;
  staleAfterMs: number;
  uptimeSeconds: number;
  /** The whole process (every thread: the server and its consumer Workers). */
  process: { cpuSeconds: number; residentBytes: number };
}

function splitPartition(key: string): { topic: string; partition: string } {
  const at = key.lastIndexOf(":");
  return at < 0
    ? { topic: key, partition: "" }
    : { topic: key.slice(0, at), partition: key.slice(at + 1) };
}

/** Every family, in a stable order. */
export function metricFamilies(input: MetricsInput): MetricFamily[] {
  const families: MetricFamily[] = COUNTERS.map(([field, name, help]) => ({
    name,
    help: `${help} Resets when the consumer restarts.`,
    type: "counter",
    samples: input.consumers.map((r) => ({
      labels: { consumer: r.status.name },
      value: r.status.counters[field],
    })),
  }));
  families.push({
    name: "freshet_consumer_lag",
    help: "Messages behind the end of the partition.",
    type: "gauge",
    samples: input.consumers.flatMap((r) =>
      Object.entries(r.status.partitionLag).map(([key, value]) => ({
        labels: { consumer: r.status.name, ...splitPartition(key) },
        value,
      }))
    ),
  });
  families.push({
    name: "freshet_consumer_up",
    help: "1 when the consumer is running and reported recently, else 0.",
    type: "gauge",
    samples: input.consumers.map((r) => ({
      labels: { consumer: r.status.name },
      value: ["starting", "rejoining", "running", "retrying"].includes(r.status.state) &&
          !isUnhealthy(r, input.now, input.staleAfterMs)
        ? 1
        : 0,
    })),
  });
  families.push({
    name: "freshet_consumer_restarts_total",
    help: "Times the server restarted the consumer's Worker after it died.",
    type: "counter",
    samples: input.consumers.map((r) => ({
      labels: { consumer: r.status.name },
      value: r.status.restarts ?? 0,
    })),
  });
  const withOutbox = input.consumers.filter((r) => r.status.outbox);
  families.push({
    name: "freshet_outbox_unsent",
    help: "Events in a consumer's outbox not sent to Kafka yet.",
    type: "gauge",
    samples: withOutbox.map((r) => ({
      labels: { consumer: r.status.name },
      value: r.status.outbox!.unsent,
    })),
  });
  families.push({
    name: "freshet_outbox_oldest_unsent_seconds",
    help: "Age of the oldest event in a consumer's outbox not sent yet (0 when none).",
    type: "gauge",
    samples: withOutbox.map((r) => ({
      labels: { consumer: r.status.name },
      value: r.status.outbox!.oldestUnsentMs / 1000,
    })),
  });
  families.push({
    name: "freshet_http_requests_total",
    help: "HTTP requests answered, by method, route pattern and status.",
    type: "counter",
    samples: input.http,
  });
  families.push({
    name: "freshet_process_uptime_seconds",
    help: "Seconds since the web server process started.",
    type: "gauge",
    samples: [{ value: input.uptimeSeconds }],
  });
  // Prometheus's standard process metrics (what its client libraries export).
  families.push({
    name: "process_cpu_seconds_total",
    help: "User and system CPU time of the process, every thread, in seconds.",
    type: "counter",
    samples: [{ value: input.process.cpuSeconds }],
  });
  families.push({
    name: "process_resident_memory_bytes",
    help: "Resident memory size of the process in bytes.",
    type: "gauge",
    samples: [{ value: input.process.residentBytes }],
  });
  return families;
}

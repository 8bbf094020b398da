/**
 * Is the broker reachable? One admin `describeCluster` as the `web`
 * principal, bounded by a timeout (a health check must never hang) and
 * cached for a moment (a busy monitor must not open a connection per
 * request). Concurrent checks share one attempt.
 */
import { createKafka, withAdmin } from "../kafka/client.ts";
import type { KafkaConfig } from "../kafka/config.ts";
import { errorMessage } from "../core/errors.ts";

/** The broker part of `/health`. */
export interface BrokerHealth {
  reachable: boolean;
  /** Number of brokers in the cluster (0 when unreachable). */
  brokers: number;
  error?: string;
}

/** A cached reachability check. */
export interface BrokerProbe {
  check(): Promise<BrokerHealth>;
}

/** Options of `createBrokerProbe`. */
export interface BrokerProbeOptions {
  /** How long a result is reused (default 2000 ms). */
  cacheMs?: number;
  /** Give up after this long and report unreachable (default 2000 ms). */
  timeoutMs?: number;
}

async function describe(config: KafkaConfig, timeoutMs: number): Promise<BrokerHealth> {
  const kafka = createKafka(config, {
    clientSuffix: "health",
    connectionTimeoutMs: timeoutMs,
    retries: 0,
    quiet: true,
  });
  const cluster = await withAdmin(kafka, (admin) => admin.describeCluster());
  return { reachable: true, brokers: cluster.brokers.length };
}

/** A probe of the cluster `config` points at. */
export function createBrokerProbe(
  config: KafkaConfig,
  options: BrokerProbeOptions = {},
): BrokerProbe {
  const cacheMs = options.cacheMs ?? 2_000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  let cached: { result: BrokerHealth; at: number } | undefined;
  let pending: Promise<BrokerHealth> | undefined;

  const attempt = async (): Promise<BrokerHealth> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<BrokerHealth>((resolve) => {
      timer = setTimeout(
        () => resolve({ reachable: false, brokers: 0, error: `no answer within ${timeoutMs} ms` }),
        timeoutMs,
      );
    });
    const described = describe(config, timeoutMs).catch((error): BrokerHealth => ({
      reachable: false,
      brokers: 0,
      error: errorMessage(error),
    }));
    try {
      return await Promise.race([described, timeout]);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    check() {
      if (cached && Date.now() - cached.at < cacheMs) return Promise.resolve(cached.result);
      pending ??= attempt().then((result) => {
        cached = { result, at: Date.now() };
        return result;
      }).finally(() => (pending = undefined));
      return pending;
    },
  };
}

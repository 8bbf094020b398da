/**
 * Which brokers a program must be allowed to reach: the bootstrap list it
 * is configured with and every broker the cluster advertises (they differ
 * whenever a cluster is named by a DNS alias, a load balancer, `localhost`
 * for `127.0.0.1`, or one node of several).
 *
 * Discovery runs in a child process granted only the brokers known so far
 * (shared/permissions/discover_main.ts). It first checks that TLS (or
 * plaintext) works with the bootstrap brokers as configured
 * (kafka/tls_diagnosis.ts), then logs in as the program's
 * principal and asks the cluster's metadata; a broker it may not reach yet
 * is recorded rather than connected to, so the launcher widens the grant
 * and asks again, at most once per broker.
 */
import { errorMessage } from "../core/errors.ts";
import { createKafka, withAdmin } from "../kafka/client.ts";
import type { KafkaConfig } from "../kafka/config.ts";
import { mayConnect } from "../kafka/socket.ts";
import { assertBrokerTransport } from "../kafka/tls_diagnosis.ts";
import { KafkaTlsError } from "../kafka/tls_errors.ts";

/** What one discovery round found. */
export interface DiscoveryRound {
  /** Every broker known: bootstrap, advertised and the ones still to grant. */
  brokers: string[];
  /** Brokers the cluster advertises that this round could not reach for lack of permission. */
  needs: string[];
  /** The cluster's id, once the metadata was read through a granted broker. */
  clusterId?: string;
}

/**
 * The cluster could not be reached, TLS failed or the login was refused;
 * the message says which (`code`: a KafkaTlsError's code, when TLS failed).
 */
export class DiscoveryError extends Error {
  readonly retriable = false;
  constructor(message: string, readonly code = "DISCOVERY_FAILED") {
    super(message);
    this.name = "DiscoveryError";
  }
}

const hostPort = (host: string, port: number) =>
  `${host.includes(":") ? `[${host}]` : host}:${port}`;

/** Explains a failed connection or login in a user's terms. */
export function describeDiscoveryError(config: KafkaConfig, error: unknown): string {
  const where = config.brokers.join(",");
  const message = errorMessage(error);
  const name = (error as Error)?.name ?? "";
  const who = config.sasl ? `${config.sasl.username} (${config.sasl.mechanism})` : "no SASL";
  if (/SASL|authentication/i.test(name + message)) {
    return `the Kafka cluster at ${where} refused the login of ${who}: ${message}`;
  }
  return `cannot reach the Kafka cluster at ${where} (login: ${who}): ${message}`;
}

/** One round of discovery with the permissions this process has. */
export async function discoverRound(
  config: KafkaConfig,
  options: { timeoutMs?: number } = {},
): Promise<DiscoveryRound> {
  // TLS first: a refused certificate or the wrong protocol for a port is
  // named here, where KafkaJS would say "Connection error" after retries.
  try {
    await assertBrokerTransport(config.brokers.filter(mayConnect), config.ssl);
  } catch (error) {
    if (error instanceof KafkaTlsError) throw new DiscoveryError(error.message, error.code);
    throw error;
  }
  const needs = new Set<string>();
  let tlsFault: KafkaTlsError | undefined;
  const kafka = createKafka(config, {
    clientSuffix: "discovery",
    retries: 1,
    connectionTimeoutMs: 5_000,
    quiet: true,
    onMissingPermission: (broker) => needs.add(broker),
    onTlsFailure: (fault) => (tlsFault ??= fault),
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${options.timeoutMs ?? 20_000} ms`)),
      options.timeoutMs ?? 20_000,
    );
  });
  try {
    const cluster = await Promise.race([
      withAdmin(kafka, (admin) => admin.describeCluster()),
      timeout,
    ]);
    const advertised = cluster.brokers.map((b) => hostPort(b.host, b.port));
    return {
      brokers: [...new Set([...config.brokers, ...advertised])],
      needs: [],
      clusterId: cluster.clusterId,
    };
  } catch (error) {
    if (needs.size > 0) {
      return { brokers: [...new Set([...config.brokers, ...needs])], needs: [...needs] };
    }
    if (tlsFault) throw new DiscoveryError(tlsFault.message, tlsFault.code);
    throw new DiscoveryError(describeDiscoveryError(config, error));
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The overview as routes read it: through the console's clients, with a
 * Kafka failure turned into the console's HTTP error, and the last answer
 * kept for `MAX_AGE_MS` per app (the home page's summary and the page
 * share it, so reloading costs the brokers nothing; concurrent readers
 * share one read).
 */
import type { WebServices } from "../../../shared/web/services.ts";
import { consoleHttpError } from "../kafka_http_error.ts";
import { consoleWeb } from "../web/console_part.ts";
import { type ClusterOverview, clusterOverview } from "./cluster_overview.ts";

/** How long an overview is reused. */
export const MAX_AGE_MS = 5_000;

const cache = new WeakMap<object, { at: number; read: Promise<ClusterOverview> }>();

/** The cluster's overview, at most `MAX_AGE_MS` old (`fresh`: read now). */
export function readClusterOverview(
  services: WebServices,
  options: { fresh?: boolean } = {},
): Promise<ClusterOverview> {
  const console = services.part(consoleWeb);
  const cached = cache.get(console.kafka);
  if (cached && !options.fresh && Date.now() - cached.at < MAX_AGE_MS) return cached.read;
  const read = (async () => await clusterOverview(await console.kafka.brokerCluster()))().catch(
    (error) => {
      cache.delete(console.kafka);
      throw consoleHttpError(error, "describing the cluster");
    },
  );
  cache.set(console.kafka, { at: Date.now(), read });
  return read;
}

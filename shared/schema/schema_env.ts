/**
 * The Schema Registry of this deployment: `SCHEMA_REGISTRY_URL` (a
 * Confluent-compatible API, e.g. `deno task registry`'s
 * `http://127.0.0.1:8081/apis/ccompat/v6`). Unset, or not readable by this
 * program: no registry, and framed values are shown undecoded.
 */
import { SchemaRegistryClient } from "./registry_client.ts";
import { SchemaValues } from "./schema_values.ts";

/** The variable naming the registry. */
export const SCHEMA_REGISTRY_ENV = "SCHEMA_REGISTRY_URL";

let cached: { url: string; values: SchemaValues } | undefined;

/** The registry's values codec, or undefined when none is configured. */
export function schemaValuesFromEnv(): SchemaValues | undefined {
  let url: string | undefined;
  try {
    url = Deno.env.get(SCHEMA_REGISTRY_ENV);
  } catch {
    return undefined; // not granted: this program has no registry
  }
  if (!url) return undefined;
  if (cached?.url !== url) {
    cached = { url, values: new SchemaValues(new SchemaRegistryClient(url)) };
  }
  return cached.values;
}

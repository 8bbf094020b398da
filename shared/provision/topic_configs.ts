/**
 * Topic configs: what a topic has on the broker versus what the file
 * wants, and altering them. KafkaJS speaks the (non-incremental)
 * AlterConfigs API, which replaces a topic's whole set of overrides, so an
 * alteration sends the overrides already there plus the file's values:
 * overrides the file does not name are kept.
 */
import { type Admin, type ConfigEntries, ConfigResourceTypes, ConfigSource } from "kafkajs";

/** One config whose value differs from the file. */
export interface ConfigChange {
  name: string;
  from: string;
  to: string;
}

/** How a topic's configs compare with the file. */
export interface ConfigDiff {
  /** Values to alter. */
  changes: ConfigChange[];
  /** File configs the broker does not know. */
  unknown: string[];
  /** File configs that differ but the broker will not alter. */
  readOnly: ConfigChange[];
  /** Topic-level overrides on the broker that the file does not name. */
  extra: { name: string; value: string }[];
}

/** The config entries of each topic, by topic name (asked of an admin, or of one broker). */
export async function describeTopicConfigs(
  admin: Pick<Admin, "describeConfigs">,
  topics: string[],
): Promise<Map<string, ConfigEntries[]>> {
  const byTopic = new Map<string, ConfigEntries[]>();
  if (topics.length === 0) return byTopic;
  const answer = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
  });
  for (const resource of answer.resources) {
    if (resource.errorCode !== 0) {
      throw new Error(
        `describing the configs of ${resource.resourceName} failed: ${resource.errorMessage}`,
      );
    }
    byTopic.set(resource.resourceName, resource.configEntries);
  }
  return byTopic;
}

/** A value in a comparable form: list order and boolean case do not matter. */
function normalise(value: string): string {
  const v = value.trim();
  if (/^(true|false)$/i.test(v)) return v.toLowerCase();
  return v.includes(",") ? v.split(",").map((s) => s.trim()).sort().join(",") : v;
}

function isOverride(entry: ConfigEntries): boolean {
  return entry.configSource === ConfigSource.TOPIC_CONFIG;
}

/** Compares `wanted` (from the file) with a topic's `entries`. */
export function diffConfigs(wanted: Record<string, string>, entries: ConfigEntries[]): ConfigDiff {
  const diff: ConfigDiff = { changes: [], unknown: [], readOnly: [], extra: [] };
  const byName = new Map(entries.map((e) => [e.configName, e]));
  for (const [name, to] of Object.entries(wanted)) {
    const entry = byName.get(name);
    if (!entry) diff.unknown.push(name);
    else if (normalise(entry.configValue ?? "") !== normalise(to)) {
      const change = { name, from: entry.configValue ?? "(none)", to };
      (entry.readOnly ? diff.readOnly : diff.changes).push(change);
    }
  }
  for (const entry of entries) {
    if (isOverride(entry) && !(entry.configName in wanted)) {
      diff.extra.push({ name: entry.configName, value: entry.configValue });
    }
  }
  return diff;
}

/**
 * Sets the file's values on `topic`, keeping its other overrides (see the
 * module comment). With `validateOnly` the broker only checks them.
 */
export async function alterTopicConfigs(
  admin: Admin,
  topic: string,
  options: { entries: ConfigEntries[]; wanted: Record<string, string>; validateOnly: boolean },
): Promise<void> {
  const values: Record<string, string> = {};
  for (const entry of options.entries) {
    if (isOverride(entry)) values[entry.configName] = entry.configValue;
  }
  Object.assign(values, options.wanted);
  await admin.alterConfigs({
    validateOnly: options.validateOnly,
    resources: [{
      type: ConfigResourceTypes.TOPIC,
      name: topic,
      configEntries: Object.entries(values).map(([name, value]) => ({ name, value })),
    }],
  });
}

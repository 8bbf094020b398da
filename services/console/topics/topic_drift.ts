/**
 * How a topic on the broker differs from its line in kafka-topics.txt, in
 * the words `deno task topics` would use: partitions, replication factor,
 * configs the file sets to another value, and overrides the file does not
 * name. Read-only: the console reports drift, `deno task topics` fixes it.
 */
import type { ConfigEntries } from "kafkajs";
import { resolveReplication, type TopicSpec } from "../../../shared/provision/mod.ts";
import { diffConfigs } from "../../../shared/provision/topic_configs.ts";

/** The broker's side of the comparison. */
export interface TopicShape {
  partitions: number;
  replicationFactor: number;
  configs: ConfigEntries[];
}

/** One line per difference (empty when the topic matches its declaration). */
export function topicDrift(spec: TopicSpec, shape: TopicShape, brokerCount: number): string[] {
  const drift: string[] = [];
  if (shape.partitions !== spec.partitions) {
    drift.push(`${shape.partitions} partitions, file says ${spec.partitions}`);
  }
  const replication = resolveReplication(spec, brokerCount);
  if (shape.replicationFactor !== replication) {
    drift.push(`replication factor ${shape.replicationFactor}, file says ${replication}`);
  }
  const diff = diffConfigs(spec.configs, shape.configs);
  for (const c of [...diff.changes, ...diff.readOnly]) {
    drift.push(`${c.name}=${c.from}, file says ${c.to}`);
  }
  for (const name of diff.unknown) drift.push(`${name} is unknown to the broker`);
  for (const e of diff.extra) drift.push(`${e.name}=${e.value} is set here, not in the file`);
  return drift;
}

/**
 * Applies topic specs idempotently: missing topics are created (and waited
 * for until every partition has a leader), partitions grow but never
 * shrink, config values written in the file are altered to match, and
 * anything else that differs is reported as drift and left as is.
 */
import type { Admin } from "kafkajs";
import { errorMessage } from "../core/errors.ts";
import { emptyResult, type ProvisionItem, type ProvisionResult } from "./result.ts";
import { alterTopicConfigs, describeTopicConfigs, diffConfigs } from "./topic_configs.ts";
import type { TopicSpec } from "./topics_file.ts";

/** Options of `applyTopics`. */
export interface ApplyTopicsOptions {
  /** Compare (and let the broker validate) only; change nothing. */
  dryRun?: boolean;
  /** How long new or grown topics get to have a leader on every partition (default 30 000 ms). */
  readyTimeoutMs?: number;
}

/** Replication `auto` is min(3, brokers): three copies when the cluster allows it. */
export function resolveReplication(spec: TopicSpec, brokerCount: number): number {
  return spec.replicationFactor === "auto" ? Math.min(3, brokerCount) : spec.replicationFactor;
}

/**
 * Waits until each topic has `partitions` partitions, each with a leader
 * that serves: the metadata names a new partition's leader a moment before
 * that broker answers for it (ListOffsets then fails with NOT_LEADER), so
 * the wait ends on an answered ListOffsets, not on the metadata alone.
 */
export async function waitUntilReady(
  admin: Admin,
  topics: { name: string; partitions: number }[],
  options: { timeoutMs: number },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let last: unknown = "no answer yet";
  while (Date.now() < deadline) {
    try {
      const { topics: found } = await admin.fetchTopicMetadata({
        topics: topics.map((t) => t.name),
      });
      const led = topics.every((t) => {
        const meta = found.find((f) => f.name === t.name);
        return meta && meta.partitions.length >= t.partitions &&
          meta.partitions.every((p) => p.leader >= 0);
      });
      if (led) {
        for (const topic of topics) await admin.fetchTopicOffsets(topic.name);
        return;
      }
      last = "some partitions have no leader yet";
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`topics not ready after ${options.timeoutMs} ms: ${errorMessage(last)}`);
}

function describeSpec(spec: TopicSpec, replication: number): string {
  const configs = Object.entries(spec.configs).map(([k, v]) => ` ${k}=${v}`).join("");
  const partitions = spec.partitions === 1 ? "1 partition" : `${spec.partitions} partitions`;
  return `${partitions}, replication ${replication}${configs}`;
}

async function createTopic(
  admin: Admin,
  spec: TopicSpec,
  replication: number,
  options: ApplyTopicsOptions,
): Promise<ProvisionItem> {
  await admin.createTopics({
    validateOnly: options.dryRun,
    waitForLeaders: false,
    topics: [{
      topic: spec.name,
      numPartitions: spec.partitions,
      replicationFactor: replication,
      configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
    }],
  });
  if (!options.dryRun) {
    await waitUntilReady(admin, [spec], { timeoutMs: options.readyTimeoutMs ?? 30_000 });
  }
  const detail = describeSpec(spec, replication);
  return {
    kind: "topic",
    name: spec.name,
    detail: options.dryRun ? `would create: ${detail}` : detail,
  };
}

/** Current shape of an existing topic. */
interface TopicState {
  partitions: number;
  replication: number;
}

async function reconcilePartitions(
  admin: Admin,
  spec: TopicSpec,
  state: TopicState,
  options: ApplyTopicsOptions,
  note: (section: "changed" | "drift", detail: string) => void,
): Promise<void> {
  if (spec.partitions > state.partitions) {
    await admin.createPartitions({
      validateOnly: options.dryRun,
      topicPartitions: [{ topic: spec.name, count: spec.partitions }],
    });
    if (!options.dryRun) {
      await waitUntilReady(admin, [spec], { timeoutMs: options.readyTimeoutMs ?? 30_000 });
    }
    const verb = options.dryRun ? "would grow" : "grew";
    note("changed", `${verb} ${state.partitions}→${spec.partitions} partitions`);
  } else if (spec.partitions < state.partitions) {
    note(
      "drift",
      `has ${state.partitions} partitions, file says ${spec.partitions}; ` +
        "Kafka cannot shrink — left as is",
    );
  }
}

async function reconcileTopic(
  admin: Admin,
  spec: TopicSpec,
  context: { state: TopicState; replication: number; entries: Parameters<typeof diffConfigs>[1] },
  options: ApplyTopicsOptions,
  result: ProvisionResult,
): Promise<void> {
  let noted = false;
  const note = (section: "changed" | "drift" | "errors", detail: string) => {
    noted = true;
    result[section].push({ kind: "topic", name: spec.name, detail });
  };
  await reconcilePartitions(admin, spec, context.state, options, note);
  if (context.replication !== context.state.replication) {
    note(
      "drift",
      `has replication factor ${context.state.replication}, file says ${context.replication}` +
        " — left as is (changing it needs a partition reassignment)",
    );
  }
  const diff = diffConfigs(spec.configs, context.entries);
  for (const name of diff.unknown) note("errors", `config ${name} is unknown to the broker`);
  for (const c of diff.readOnly) {
    note("drift", `config ${c.name} is ${c.from}, file says ${c.to}; read-only — left as is`);
  }
  for (const e of diff.extra) {
    note("drift", `config ${e.name}=${e.value} is set on the broker, not in the file — left as is`);
  }
  if (diff.changes.length > 0) {
    await alterTopicConfigs(admin, spec.name, {
      entries: context.entries,
      wanted: spec.configs,
      validateOnly: options.dryRun ?? false,
    });
    const how = options.dryRun ? "would alter" : "altered";
    for (const c of diff.changes) note("changed", `config ${c.name} ${c.from}→${c.to} (${how})`);
  }
  if (!noted) result.unchanged.push({ kind: "topic", name: spec.name });
}

/** Applies `specs` (from a topics file) to the cluster `admin` talks to. */
export async function applyTopics(
  admin: Admin,
  specs: TopicSpec[],
  options: ApplyTopicsOptions = {},
): Promise<ProvisionResult> {
  const result = emptyResult(options.dryRun);
  const brokerCount = (await admin.describeCluster()).brokers.length;
  const existing = new Set(await admin.listTopics());
  const present = specs.filter((s) => existing.has(s.name));
  const metadata = present.length > 0
    ? (await admin.fetchTopicMetadata({ topics: present.map((s) => s.name) })).topics
    : [];
  const configs = await describeTopicConfigs(admin, present.map((s) => s.name));
  for (const spec of specs) {
    const replication = resolveReplication(spec, brokerCount);
    try {
      if (!existing.has(spec.name)) {
        if (replication > brokerCount) {
          throw new Error(
            `replication factor ${replication} needs ${replication} brokers, the cluster has ${brokerCount}`,
          );
        }
        result.created.push(await createTopic(admin, spec, replication, options));
        continue;
      }
      const meta = metadata.find((m) => m.name === spec.name)!;
      const state = {
        partitions: meta.partitions.length,
        replication: Math.max(...meta.partitions.map((p) => p.replicas.length)),
      };
      const entries = configs.get(spec.name) ?? [];
      await reconcileTopic(admin, spec, { state, replication, entries }, options, result);
    } catch (error) {
      result.errors.push({ kind: "topic", name: spec.name, detail: errorMessage(error) });
    }
  }
  return result;
}

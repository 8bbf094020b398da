/**
 * One arrangement of doctor processes over one backlog on the scale-out
 * section's cluster (scaleout_cluster.ts):
 *
 * - `one`: one doctor reading all the partitions;
 * - `sharded`: three doctors with the same `DOCTOR_NAME`, each its own
 *   `DATA_DIR`: one group (`doctor-<name>`), the partitions split, each
 *   applying its share into its own database. Not how a view is deployed to
 *   serve (each doctor's page would show a third of the demands), but what
 *   sharing the partitions costs and gives;
 * - `views`: three doctors each with its own name, so its own group: each
 *   applies every demand (the view deployment, docs/scaling.md).
 *
 * The backlog is loaded behind a gate (gated_backlog.ts), the doctors are
 * started as their task starts them and their groups left to settle, then
 * the gate opens; the rate is measured from the first demand any doctor
 * wrote down as received to the last, and the CPU time of every doctor,
 * every broker's JVM and the machine over that window, sampled from /proc.
 */
import type { Kafka } from "kafkajs";
import { AssignerProtocol } from "kafkajs";
import { doctorConsumerName } from "../services/demands/consumer.ts";
import { withAdmin } from "../shared/kafka/client.ts";
import { groupName } from "../shared/kafka/names.ts";
import { benchDemand } from "./bench_demand.ts";
import { type CpuUsage, startCpuSampler, usageBetween } from "./cpu_sampler.ts";
import { DoctorProcess, type DoctorSpec } from "./doctor_process.ts";
import { loadGatedBacklog } from "./gated_backlog.ts";
import {
  applyWindow,
  type ArrangementFigures,
  arrangementFigures,
  type InstanceSpan,
  sharedPartitions,
} from "./scaleout_figures.ts";
import { createDoctorTopics, deleteTopicsUnder, type ScaleoutCluster } from "./scaleout_cluster.ts";
import { waitUntil } from "./wait.ts";

/** The arrangements, in the order the section runs them. */
export const ARRANGEMENTS = ["one", "sharded", "views"] as const;
export type ArrangementName = typeof ARRANGEMENTS[number];

/** The doctors of an arrangement, their folders under `dataDir`. */
export function arrangementSpecs(name: ArrangementName, dataDir: string): DoctorSpec[] {
  const three = [1, 2, 3];
  switch (name) {
    case "one":
      return [{ label: "one-1", doctorName: "scaleout", dataDir: `${dataDir}/one-1` }];
    case "sharded": // one name, so one group; a folder each, as the folder lock requires
      return three.map((i) => ({
        label: `sharded-${i}`,
        doctorName: "scaleout",
        dataDir: `${dataDir}/sharded-${i}`,
      }));
    case "views": // a name each, so a group each; one folder holds the three
      return three.map((i) => ({
        label: `views-${i}`,
        doctorName: `scaleout-${i}`,
        dataDir: `${dataDir}/views`,
      }));
  }
}

/** What one arrangement measured. */
export interface ArrangementResult {
  name: ArrangementName;
  backlog: number;
  figures: ArrangementFigures;
  /** CPU over the window (bracketed by the samples), every process. */
  usage: CpuUsage;
  /** The created topic's partitions each doctor applied. */
  partitions: Record<string, number[]>;
  /** From the gate's opening to the first demand received. */
  gateToFirstMs: number;
  /** The machine's 1, 5 and 15 minute load averages as the gate opened and once all was applied. */
  loadAverage: { before: number[]; after: number[] };
}

/** Options of `runArrangement`. */
export interface ArrangementOptions {
  count: number;
  partitions: number;
  /** Folder for the doctors' data folders. */
  dataDir: string;
  cores: number;
  /** Prefix of its topics (default `scaleout-<name>.`). */
  prefix?: string;
  progress?: (line: string) => void;
}

/** Runs one arrangement; stops its doctors and deletes its topics whatever happens. */
export async function runArrangement(
  cluster: ScaleoutCluster,
  name: ArrangementName,
  options: ArrangementOptions,
): Promise<ArrangementResult> {
  const { kafka, brokers, brokerPids, proc } = cluster;
  const progress = options.progress ?? (() => {});
  const prefix = options.prefix ?? `scaleout-${name}.`;
  const topic = await step(
    "creating the topics",
    () => createDoctorTopics(kafka, prefix, options.partitions),
  );
  const doctors: DoctorProcess[] = [];
  let gate: Awaited<ReturnType<typeof loadGatedBacklog>> | undefined;
  try {
    gate = await step("loading the backlog", () =>
      loadGatedBacklog(
        kafka,
        topic,
        options.count,
        (i) => ({ key: `bench-${i}`, value: benchDemand(i) }),
        { progress: (done) => progress(`loaded ${done.toLocaleString("en")} (gate closed)`) },
      ));
    const specs = arrangementSpecs(name, options.dataDir);
    // Every one that started is kept (and stopped at the end), even if another failed to.
    const launched = await Promise.allSettled(
      specs.map((spec) => DoctorProcess.launch(spec, { brokers, prefix })),
    );
    for (const result of launched) if (result.status === "fulfilled") doctors.push(result.value);
    const refused = launched.find((r) => r.status === "rejected");
    if (refused) throw refused.reason;
    const alive = () => {
      const ended = doctors.find((d) => d.exited);
      if (ended) {
        throw new Error(
          `${ended.spec.label} exited (${ended.exited!.code}): ${ended.output().slice(-1_500)}`,
        );
      }
    };
    const groups = expectedGroups(specs, prefix);
    const settled = await step(
      "waiting for the groups",
      () => waitForGroups(kafka, groups, topic, options.partitions, alive),
    );
    progress(`groups settled: ${settled}`);

    const sampler = startCpuSampler(proc, () => ({
      ...brokerPids,
      ...Object.fromEntries(doctors.map((d) => [d.spec.label, d.pid])),
      bench: Deno.pid,
    }), 100);
    let stopped = false;
    try {
      const before = Deno.loadavg();
      const openedAt = Date.now();
      await gate.open();
      const done = () =>
        name === "views"
          ? doctors.every((d) => d.applied().rows >= options.count)
          : doctors.reduce((sum, d) => sum + d.applied().rows, 0) >= options.count;
      await waitUntil("every demand applied", () => {
        alive();
        return done();
      }, {
        timeoutMs: 900_000,
        intervalMs: 250,
        lastSeen: () => doctors.map((d) => `${d.spec.label} ${d.applied().rows}`).join(", "),
      });
      await sampler.stop();
      stopped = true;
      const after = Deno.loadavg();
      const spans: InstanceSpan[] = doctors.map((d) => {
        const applied = d.applied();
        return {
          label: d.spec.label,
          rows: applied.rows,
          firstMs: applied.firstMs ?? NaN,
          lastMs: applied.lastMs ?? NaN,
        };
      });
      const partitions = Object.fromEntries(
        doctors.map((d) => [d.spec.label, d.partitions(topic)]),
      );
      checkComplete(name, spans, partitions, options.count);
      const { fromMs, toMs } = applyWindow(spans);
      const usage = usageBetween(sampler.samples, fromMs, toMs);
      const brokersCpuSeconds = Object.keys(brokerPids)
        .reduce((sum, label) => sum + (usage.processSeconds[label] ?? 0), 0);
      const figures = arrangementFigures({
        instances: spans,
        doctorCpuSeconds: Object.fromEntries(
          doctors.map((d) => [d.spec.label, usage.processSeconds[d.spec.label]]),
        ),
        brokersCpuSeconds,
        sampledSeconds: usage.seconds,
        machineBusyCores: usage.machineBusyCores,
        cores: options.cores,
      });
      return {
        name,
        backlog: options.count,
        figures,
        usage,
        partitions,
        gateToFirstMs: fromMs - openedAt,
        loadAverage: { before, after },
      };
    } finally {
      if (!stopped) await sampler.stop();
    }
  } finally {
    await Promise.all(doctors.map((d) => d.stop()));
    await gate?.discard().catch(() => {});
    await deleteTopicsUnder(kafka, prefix).catch(() => {});
  }
}

/** Runs `fn`; its error, if any, names `what` was being done. */
async function step<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof Error) error.message = `${what}: ${error.message}`;
    throw error;
  }
}

/** Each group the doctors of `specs` join under `prefix`, and how many members it should have. */
export function expectedGroups(specs: DoctorSpec[], prefix: string): Map<string, number> {
  const groups = new Map<string, number>();
  for (const spec of specs) {
    const group = groupName({ FRESHET_TOPIC_PREFIX: prefix }, doctorConsumerName(spec.doctorName));
    groups.set(group, (groups.get(group) ?? 0) + 1);
  }
  return groups;
}

/**
 * Waits until every group is stable with its members, each holding part of
 * `topic` and together all of its partitions — the same members at two
 * looks a second apart. Returns the assignment seen, as text.
 */
async function waitForGroups(
  kafka: Kafka,
  groups: Map<string, number>,
  topic: string,
  partitions: number,
  alive: () => void,
): Promise<string> {
  let seen = "nothing yet";
  let previous = "";
  await withAdmin(kafka, (admin) =>
    waitUntil("the doctors' groups to settle", async () => {
      alive();
      const described = await admin.describeGroups([...groups.keys()]);
      const lines: string[] = [];
      let ready = true;
      for (const group of described.groups) {
        const split = group.members.map((m) =>
          AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[topic] ?? []
        );
        const covered = new Set(split.flat()).size;
        lines.push(
          `${group.groupId} ${group.state}: ${
            split.map((p) => `${p.length}`).join("+") || "no members"
          } of ${partitions}`,
        );
        ready &&= group.state === "Stable" && group.members.length === groups.get(group.groupId) &&
          split.every((p) => p.length > 0) && covered === partitions;
      }
      const now = described.groups.map((g) => g.members.map((m) => m.memberId).sort().join(","))
        .join(";");
      seen = lines.join("; ");
      const settled = ready && now === previous;
      previous = ready ? now : "";
      return settled;
    }, { timeoutMs: 180_000, intervalMs: 1_000, lastSeen: () => seen }));
  return seen;
}

/** Throws unless every demand was applied exactly as the arrangement should apply it. */
function checkComplete(
  name: ArrangementName,
  spans: InstanceSpan[],
  partitions: Record<string, number[]>,
  count: number,
): void {
  const rows = spans.map((s) => `${s.label} ${s.rows}`).join(", ");
  if (name === "views") {
    if (spans.some((s) => s.rows !== count)) {
      throw new Error(`expected ${count} rows each: ${rows}`);
    }
    return;
  }
  const total = spans.reduce((sum, s) => sum + s.rows, 0);
  const twice = sharedPartitions(partitions);
  if (total !== count || twice.length > 0) {
    throw new Error(
      `expected ${count} rows in all, each partition applied by one doctor: ${rows}` +
        (twice.length > 0 ? `; partitions applied twice: ${twice.join(",")}` : ""),
    );
  }
}

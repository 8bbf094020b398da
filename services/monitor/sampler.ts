/**
 * Lag sampling: every `sampleMs` (aligned to multiples of it), read every
 * group in scope — its state and members (DescribeGroups), its committed
 * offsets (OffsetFetch) — and the end offset of every partition those
 * offsets are on (ListOffsets); store it all (sample_store.ts) and announce
 * each group's lag and status on the bus. A group that cannot be read is
 * stored with status ERROR and the reason.
 *
 * The reads are the kernel's batched requests (shared/kafka/wire/): one
 * Metadata for every topic, ListGroups to each broker, one FindCoordinator
 * for every group, then per
 * coordinator DescribeGroups in chunks and one OffsetFetch for all its
 * groups, and per leader one ListOffsets for all its partitions — a few
 * requests whatever the number of groups and partitions, where KafkaJS's
 * admin asks per group and per topic. A partition without a leader is left
 * out of that sample (its groups' other partitions are not).
 *
 * Every group is read every sample; an idle one (nothing it depends on
 * moved, and a summary time cannot change) is summarised in full every
 * IDLE_FULL_EVERY_MS only and carried forward in between (idle_groups.ts).
 */
import { AssignerProtocol, type MemberDescription } from "kafkajs";
import { publish } from "../../shared/bus/bus.ts";
import { errorMessage } from "../../shared/core/errors.ts";
import type { Logger } from "../../shared/core/log.ts";
import type { DatabaseSync } from "../../shared/sqlite/sqlite.ts";
import type { RenewingClient } from "../../shared/kafka/renewing_client.ts";
import type { KafkaCluster } from "../../shared/kafka/wire/kafka_cluster.ts";
import { describeRequests, requestsInFlight } from "../../shared/kafka/kafkajs_idle_timer.ts";
import { readPartitionOffsets } from "../../shared/kafka/wire/list_offsets.ts";
import { type MetadataTopic, readTopicMetadata } from "../../shared/kafka/wire/metadata_request.ts";
import { fetchGroupOffsets, findCoordinators } from "../../shared/kafka/wire/offset_fetch.ts";
import { describeGroupsAt, listGroupsOf } from "../../shared/kafka/wire/group_reads.ts";
import type { MonitorSettings } from "./config.ts";
import { MONITOR_BUS_TOPIC } from "./live_notes.ts";
import { IdleGroups } from "./idle_groups.ts";
import { groupInScope } from "./scope.ts";
import {
  type GroupObservation,
  type GroupSummary,
  type MemberInfo,
  type Observation,
  recordSample,
} from "./sample_store.ts";

/** How often an idle group is summarised in full (idle_groups.ts); samples in between carry it forward. */
export const IDLE_FULL_EVERY_MS = 30_000;

/** A sample running longer than this is logged with the Kafka requests it waits for. */
export const SLOW_SAMPLE_MS = 20_000;

/** A committed offset meaning "the start of the log" (what KafkaJS's resetOffsets commits). */
const EARLIEST = -2;

/** The `lag` note: every group's totals after a sample. */
export interface LagNote {
  t: number;
  groups: Omit<GroupSummary, "partitions">[];
}

function decodeMembers(members: MemberDescription[], protocolType: string): MemberInfo[] {
  return members.map((m) => {
    let assignment: MemberInfo["assignment"] = [];
    if (protocolType === "consumer" && m.memberAssignment?.length > 0) {
      try {
        const decoded = AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
        assignment = Object.entries(decoded?.assignment ?? {})
          .map(([topic, partitions]) => ({
            topic,
            partitions: [...partitions].sort((a, b) => a - b),
          }));
      } catch { /* not a consumer-protocol assignment: shown without partitions */ }
    }
    return { memberId: m.memberId, clientId: m.clientId, host: m.clientHost, assignment };
  });
}

/** Options of the sampler. */
export interface LagSamplerOptions {
  /** For the batched reads; one that never asks KafkaJS for a topic's metadata. */
  cluster: RenewingClient<KafkaCluster>;
  db: DatabaseSync;
  settings: MonitorSettings;
  prefix: string;
  log: Logger;
  /** How often an idle group is summarised in full (default IDLE_FULL_EVERY_MS; 0: every sample). */
  idleFullEveryMs?: number;
}

/** Samples every group's lag every `sampleMs`. */
export class LagSampler {
  #options: LagSamplerOptions;
  #timer?: ReturnType<typeof setTimeout>;
  #running?: Promise<unknown>;
  #stopped = false;
  /** The last sampling error (cleared by a good sample). */
  lastError?: string;
  /** Samples taken. */
  samples = 0;
  /** Idle groups, carried forward between full summaries. */
  readonly idle: IdleGroups;

  constructor(options: LagSamplerOptions) {
    this.#options = options;
    this.idle = new IdleGroups({ fullEveryMs: options.idleFullEveryMs ?? IDLE_FULL_EVERY_MS });
  }

  /** Reads the cluster at `now`. */
  async observe(now = Date.now()): Promise<Observation> {
    const { cluster, prefix, settings } = this.#options;
    const t = Math.floor(now / settings.sampleMs) * settings.sampleMs;
    const metadata = await cluster.run((c) => readTopicMetadata(c, null, { from: "any" }));
    const existing = new Map(
      metadata.topics.filter((topic) => topic.errorCode === 0).map((topic) => [topic.name, topic]),
    );
    return await cluster.run(async (c) => {
      const listed = await listGroupsOf(c, metadata.brokers.map((b) => b.nodeId));
      const ids = [...new Set(listed.map((g) => g.groupId))].filter((id) =>
        groupInScope(id, prefix)
      );
      ids.sort();
      const coordinators = await findCoordinators(c, ids);
      const described = await describeGroupsAt(c, coordinators);
      const groups = new Map<string, GroupObservation>();
      for (const id of ids) {
        const read = described.get(id)!;
        if ("error" in read) {
          groups.set(id, unreadable(id, read.error));
          continue;
        }
        const g = read.description;
        groups.set(id, {
          groupId: id,
          state: g.state,
          protocolType: g.protocolType,
          members: decodeMembers(g.members, g.protocolType),
          offsets: [],
        });
      }
      const live = [...groups.values()].filter((g) => !g.error && g.state !== "Dead");
      const committed = await fetchGroupOffsets(c, live.map((g) => g.groupId), coordinators);
      for (const group of live) {
        const read = committed.get(group.groupId)!;
        if ("error" in read) {
          Object.assign(group, unreadable(group.groupId, read.error), { state: group.state });
          continue;
        }
        for (const o of read.offsets) {
          if (o.errorCode !== 0 || !existing.has(o.topic)) continue;
          if (o.offset >= 0 || o.offset === EARLIEST) {
            group.offsets.push({ topic: o.topic, partition: o.partition, committed: o.offset });
          }
        }
      }
      const { ends, starts } = await this.#readEnds(c, live, existing);
      // KafkaJS's resetOffsets commits -2 ("earliest") literally: that is the log's start.
      for (const group of live) {
        group.offsets = group.offsets.flatMap((o) => {
          if (o.committed !== EARLIEST) return [o];
          const start = starts.get(`${o.topic}:${o.partition}`);
          return start === undefined ? [] : [{ ...o, committed: start }];
        });
      }
      return { t, ends, groups: [...groups.values()].filter((g) => g.state !== "Dead") };
    });
  }

  /**
   * The end offset of every partition the `live` groups committed on, and
   * the start offset of those committed as -2 ("earliest"); a partition
   * whose leader cannot answer is left out.
   */
  async #readEnds(
    cluster: KafkaCluster,
    live: GroupObservation[],
    existing: Map<string, MetadataTopic>,
  ): Promise<{ ends: Observation["ends"]; starts: Map<string, number> }> {
    const wanted = new Set(live.flatMap((g) => g.offsets.map((o) => o.topic)));
    const fromStart = new Set(
      live.flatMap((g) => g.offsets.filter((o) => o.committed === EARLIEST).map((o) => o.topic)),
    );
    const metadataOf = (names: Set<string>) => [...names].map((name) => existing.get(name)!);
    const [latest, earliest] = await Promise.all([
      readPartitionOffsets(cluster, metadataOf(wanted), { earliest: false }),
      readPartitionOffsets(cluster, metadataOf(fromStart), { latest: false }),
    ]);
    const ends: Observation["ends"] = [];
    for (const o of latest) {
      if (o.end !== undefined) ends.push({ topic: o.topic, partition: o.partition, end: o.end });
    }
    const unread = latest.filter((o) => o.end === undefined);
    if (unread.length > 0) {
      this.#options.log.debug("end offsets not read", {
        partitions: unread.length,
        first: unread[0],
      });
    }
    const starts = new Map<string, number>();
    for (const o of earliest) {
      if (o.start !== undefined) starts.set(`${o.topic}:${o.partition}`, o.start);
    }
    return { ends, starts };
  }

  /** Takes one sample: observes, stores, announces; returns the groups' summaries. */
  async sampleOnce(now = Date.now()): Promise<GroupSummary[]> {
    const obs = await this.observe(now);
    const carried = this.idle.carry(obs);
    const summaries = recordSample(this.#options.db, obs, this.#options.settings, carried);
    this.idle.remember(obs, summaries, carried);
    this.samples++;
    this.lastError = undefined;
    const note: LagNote = {
      t: obs.t,
      groups: summaries.map(({ partitions: _p, ...group }) => group),
    };
    publish(MONITOR_BUS_TOPIC, "lag", note);
    return summaries;
  }

  /** Samples now and then at every multiple of `sampleMs`, until `stop`. */
  start(): void {
    const tick = async () => {
      if (this.#stopped) return;
      const { log } = this.#options;
      const started = Date.now();
      // A diagnostic: a sample that does not end says what it waits for (nothing is cancelled).
      const slow = setTimeout(() => {
        log.warn(`lag sample in progress for ${Math.round((Date.now() - started) / 1000)} s`, {
          waiting: describeRequests(requestsInFlight()),
        });
      }, SLOW_SAMPLE_MS);
      this.#running = this.sampleOnce().catch((error) => {
        this.lastError = errorMessage(error);
        log.warn("lag sample failed", { error });
      }).finally(() => {
        clearTimeout(slow);
        const tookMs = Date.now() - started;
        if (tookMs >= SLOW_SAMPLE_MS) log.warn(`a lag sample took ${Math.round(tookMs / 1000)} s`);
      });
      await this.#running;
      if (this.#stopped) return;
      const period = this.#options.settings.sampleMs;
      this.#timer = setTimeout(tick, period - (Date.now() % period) + 5);
    };
    tick();
  }

  /** Stops sampling (a sample in progress finishes). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }
}

function unreadable(groupId: string, error: unknown): GroupObservation {
  return {
    groupId,
    state: "Unknown",
    protocolType: "",
    members: [],
    offsets: [],
    error: errorMessage(error),
  };
}

/**
 * Lag sampling: every `sampleMs` (aligned to multiples of it), read every
 * group in scope — its state and members (DescribeGroups), its committed
 * offsets (OffsetFetch) — and the end offset of every partition those
 * offsets are on (ListOffsets); store it all (sample_store.ts) and announce
 * each group's lag and status on the bus. A group that cannot be read is
 * stored with status ERROR and the reason.
 */
import { AssignerProtocol, type MemberDescription } from "kafkajs";
import { publish } from "../../shared/bus/bus.ts";
import { errorMessage } from "../../shared/core/errors.ts";
import type { Logger } from "../../shared/core/log.ts";
import { mapLimit } from "../../shared/core/map_limit.ts";
import type { DatabaseSync } from "../../shared/sqlite/sqlite.ts";
import type { AdminSession } from "../../shared/kafka/admin_session.ts";
import type { MonitorSettings } from "./config.ts";
import { MONITOR_BUS_TOPIC } from "./live_notes.ts";
import { groupInScope } from "./scope.ts";
import {
  type GroupObservation,
  type GroupSummary,
  type MemberInfo,
  type Observation,
  recordSample,
} from "./sample_store.ts";

/** Requests in flight at once while sampling. */
const CONCURRENCY = 8;
/** A committed offset meaning "the start of the log" (what KafkaJS's resetOffsets commits). */
const EARLIEST = -2;
/** Groups per DescribeGroups call. */
const DESCRIBE_CHUNK = 100;

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
  admin: AdminSession;
  db: DatabaseSync;
  settings: MonitorSettings;
  prefix: string;
  log: Logger;
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

  constructor(options: LagSamplerOptions) {
    this.#options = options;
  }

  /** Reads the cluster at `now`. */
  async observe(now = Date.now()): Promise<Observation> {
    const { admin, prefix, settings } = this.#options;
    const t = Math.floor(now / settings.sampleMs) * settings.sampleMs;
    const [topics, listed] = await Promise.all([
      admin.run((a) => a.listTopics()),
      admin.run((a) => a.listGroups()),
    ]);
    const existing = new Set(topics);
    const ids = listed.groups.map((g) => g.groupId).filter((id) => groupInScope(id, prefix)).sort();
    const groups = new Map<string, GroupObservation>();
    for (let i = 0; i < ids.length; i += DESCRIBE_CHUNK) {
      const chunk = ids.slice(i, i + DESCRIBE_CHUNK);
      try {
        const { groups: described } = await admin.run((a) => a.describeGroups(chunk));
        for (const g of described) {
          groups.set(g.groupId, {
            groupId: g.groupId,
            state: g.state,
            protocolType: g.protocolType,
            members: decodeMembers(g.members, g.protocolType),
            offsets: [],
          });
        }
      } catch (error) {
        for (const id of chunk) groups.set(id, unreadable(id, error));
      }
    }
    const live = [...groups.values()].filter((g) => !g.error && g.state !== "Dead");
    await mapLimit(live, CONCURRENCY, async (group) => {
      try {
        const offsets = await admin.run((a) => a.fetchOffsets({ groupId: group.groupId }));
        for (const { topic, partitions } of offsets) {
          if (!existing.has(topic)) continue;
          for (const p of partitions) {
            const committed = Number(p.offset);
            if (committed >= 0 || committed === EARLIEST) {
              group.offsets.push({ topic, partition: p.partition, committed });
            }
          }
        }
      } catch (error) {
        Object.assign(group, unreadable(group.groupId, error), { state: group.state });
      }
    });
    const wanted = new Set(live.flatMap((g) => g.offsets.map((o) => o.topic)));
    const ends: Observation["ends"] = [];
    const starts = new Map<string, number>();
    await mapLimit([...wanted], CONCURRENCY, async (topic) => {
      try {
        for (const p of await admin.run((a) => a.fetchTopicOffsets(topic))) {
          ends.push({ topic, partition: p.partition, end: Number(p.high) });
          starts.set(`${topic}:${p.partition}`, Number(p.low));
        }
      } catch (error) {
        this.#options.log.debug("end offsets not read", { topic, error });
      }
    });
    // KafkaJS's resetOffsets commits -2 ("earliest") literally: that is the log's start.
    for (const group of live) {
      group.offsets = group.offsets.flatMap((o) => {
        if (o.committed !== EARLIEST) return [o];
        const start = starts.get(`${o.topic}:${o.partition}`);
        return start === undefined ? [] : [{ ...o, committed: start }];
      });
    }
    return { t, ends, groups: [...groups.values()].filter((g) => g.state !== "Dead") };
  }

  /** Takes one sample: observes, stores, announces; returns the groups' summaries. */
  async sampleOnce(now = Date.now()): Promise<GroupSummary[]> {
    const obs = await this.observe(now);
    const summaries = recordSample(this.#options.db, obs, this.#options.settings);
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
      this.#running = this.sampleOnce().catch((error) => {
        this.lastError = errorMessage(error);
        this.#options.log.warn("lag sample failed", { error });
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

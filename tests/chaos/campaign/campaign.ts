/**
 * The fault campaign (issue 17): Freshet's consumers as real processes —
 * the doctor, two payments instances, the orders service (its outbox
 * relays the orders the load writes), the balances view and a sink view
 * that would show any duplicate — against a 3-node cluster reached only
 * through fault proxies (127.0.0.31–33 behind 127.0.0.34–36), under a
 * schedule of faults drawn from a seed (schedule.ts): consumers and brokers
 * SIGKILLed and SIGSTOPped, connections cut, delayed and blackholed,
 * leaders moved, partitions added, the sink's topic recreated and its
 * records deleted ahead of it, payment gateway outages, instances joining
 * and leaving. Then every fault is healed, the system drains, and the
 * checker (checker.ts) counts what was lost, duplicated or stuck.
 */
import type { Kafka } from "kafkajs";
import { withAdmin } from "../../../shared/kafka/client.ts";
import { launch } from "../../launched.ts";
import { type ProxiedCluster, startProxiedCluster } from "../proxied_cluster.ts";
import { check, type CheckResult } from "./checker.ts";
import { ItemsTopic } from "./items_topic.ts";
import { type Load, startLoad } from "./load.ts";
import { Program } from "./programs.ts";
import {
  type ConsumerName,
  CONSUMERS,
  describeFault,
  drawSchedule,
  type Fault,
  type ScheduledFault,
} from "./schedule.ts";

/** The campaign's own cluster: nodes, proxies and port (never the shared broker). */
export const CAMPAIGN_CLUSTER = {
  nodes: 3,
  nodeHost: "127.0.0.31",
  proxyHost: "127.0.0.34",
  port: 39692,
};

const ITEMS_TOPIC = "campaign.items";
const SINK_GROUP = "campaign-sink";

/** Options of a campaign. */
export interface CampaignOptions {
  seed: number;
  minutes: number;
  /** Messages of each kind produced per second (default 5). */
  ratePerSecond?: number;
  /** Longest wait for the system to drain after the faults (default 4 minutes). */
  drainTimeoutMs?: number;
  /** Where lines go (default console.log). */
  print?: (line: string) => void;
}

/** What a campaign did and found. */
export interface CampaignResult extends CheckResult {
  seed: number;
  faults: number;
  messages: number;
  schedule: ScheduledFault[];
  /** Stops (SIGTERM) that did not end cleanly within 25 s. */
  badStops: string[];
  summary: string;
}

/** Runs one campaign; always stops what it started. */
export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const print = options.print ?? console.log;
  const schedule = drawSchedule(options.seed, options.minutes, CAMPAIGN_CLUSTER.nodes);
  print(`campaign seed=${options.seed} minutes=${options.minutes}: ${schedule.length} faults`);
  for (const fault of schedule) print(`  ${describeFault(fault)}`);
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-campaign-" });
  active.brokersDown.clear();
  active.brokersPaused.clear();
  active.joined = false;
  let cluster: ProxiedCluster | undefined;
  const programs = new Map<string, Program>();
  let load: Load | undefined;
  let items: ItemsTopic | undefined;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let keep = false;
  // Kept for a post-mortem: each program's output beside its database.
  const keepEvidence = async () => {
    for (const [name, program] of programs) {
      await Deno.writeTextFile(`${dataDir}/${name}.log`, program.output()).catch(() => {});
    }
    keep = true;
  };
  try {
    cluster = await startProxiedCluster(CAMPAIGN_CLUSTER);
    const kafka = cluster.adminKafka("campaign");
    const brokers = cluster.brokers;
    print(
      `cluster ready: ${brokers.join(",")} (proxies in front of ${CAMPAIGN_CLUSTER.nodeHost}–)`,
    );
    const env = {
      KAFKA_BROKERS: brokers.join(","),
      DATA_DIR: dataDir,
      LOG_LEVEL: "info",
      CONSUMER_SESSION_TIMEOUT_MS: "6000",
      CONSUMER_ON_GAP: "sink=accept",
    };
    const topics = await launch("topics", { env });
    if ((await topics.status).code !== 0) {
      throw new Error(`provisioning failed:\n${topics.output()}`);
    }
    await withAdmin(kafka, (admin) =>
      admin.createTopics({
        waitForLeaders: true,
        topics: [
          { topic: ITEMS_TOPIC, numPartitions: 3, replicationFactor: 3 },
          { topic: `${ITEMS_TOPIC}.dlq`, numPartitions: 1, replicationFactor: 3 },
        ],
      }));
    const specs: Record<
      ConsumerName | "payments-c",
      { task: string; env: Record<string, string> }
    > = {
      doctor: { task: "consumer:doctor", env: { DOCTOR_NAME: "campaign" } },
      "payments-a": { task: "consumer:payments", env: { PAYMENTS_INSTANCE: "a" } },
      "payments-b": { task: "consumer:payments", env: { PAYMENTS_INSTANCE: "b" } },
      "payments-c": { task: "consumer:payments", env: { PAYMENTS_INSTANCE: "c" } },
      orders: { task: "consumer:orders", env: {} },
      balances: { task: "consumer:balances", env: {} },
      sink: { task: "sink", env: { SINK_TOPIC: ITEMS_TOPIC, SINK_GROUP, SINK_NAME: "sink" } },
    };
    for (const [name, spec] of Object.entries(specs)) {
      programs.set(
        name,
        new Program({ name, task: spec.task, env: { ...env, ...spec.env } }, { brokers, dataDir }),
      );
    }
    await Promise.all(CONSUMERS.map((name) => programs.get(name)!.start()));
    print("consumers running; load and faults start");

    items = new ItemsTopic(kafka, ITEMS_TOPIC);
    await items.connect();
    load = startLoad({
      kafka,
      dataDir,
      itemsTopic: ITEMS_TOPIC,
      itemsTopicView: items,
      ratePerSecond: options.ratePerSecond ?? 5,
    });

    let began = Date.now();
    const ctx: FaultContext = {
      cluster,
      kafka,
      programs,
      load,
      later: (ms, fn) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          // When, in the campaign's time: a fault's end can come long after its line.
          fn().catch((error) =>
            print(`  ! at ${((Date.now() - began) / 1000).toFixed(1)} s: ${error.message}`)
          );
        }, ms);
        timers.add(timer);
      },
      items,
      print,
    };
    began = Date.now();
    for (const scheduled of schedule) {
      const wait = began + scheduled.atMs - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      print(`  > ${describeFault(scheduled)}`);
      await applyFault(ctx, scheduled.fault).catch((error) =>
        print(`  ! ${scheduled.fault.kind}: ${error.message}`)
      );
    }
    const endAt = began + options.minutes * 60_000;
    if (endAt > Date.now()) await new Promise((r) => setTimeout(r, endAt - Date.now()));

    print("faults over: healing, then draining");
    await load.stop();
    await healAll(ctx, timers);
    const result = await drain(ctx, dataDir, options.drainTimeoutMs ?? 240_000);
    const stopTimes: string[] = [];
    for (const [name, program] of programs) {
      if (program.alive) stopTimes.push(`${name} ${await program.stop()} ms`);
    }
    print(`stopped (SIGTERM): ${stopTimes.join(", ")}`);
    const badStops = [...programs.values()].flatMap((p) => p.badStops);
    if (result.lost + result.duplicated + result.stuck > 0 || badStops.length > 0) {
      await keepEvidence();
      print(`data and logs kept in ${dataDir}`);
    }
    const messages = load.record.items.length + load.record.demands.size +
      load.record.orders.length + [...load.record.balances.keys()].length;
    const summary =
      `campaign seed=${options.seed}: ${schedule.length} faults, ${messages} messages, ` +
      `${result.lost} lost, ${result.duplicated} duplicated, ${result.stuck} stuck`;
    const kinds = new Map<string, string[]>();
    for (const problem of result.problems) {
      const kind = problem.replace(/[0-9a-f-]{36}|\b[0-9a-f]{8}\b|\d+/g, "#");
      kinds.set(kind, [...(kinds.get(kind) ?? []), problem]);
    }
    for (const [kind, problems] of kinds) {
      print(`  ! ${problems.length}× ${kind}: ${problems.slice(0, 3).join(" | ")}`);
    }
    if (result.coveredByGaps > 0) {
      print(`  ${result.coveredByGaps} items not applied, each covered by a gap the sink recorded`);
    }
    for (const stop of badStops) print(`  ! stop: ${stop.split("\n")[0]}`);
    print(summary);
    return {
      ...result,
      seed: options.seed,
      faults: schedule.length,
      messages,
      schedule,
      badStops,
      summary,
    };
  } catch (error) {
    // A campaign that ends in an error keeps its evidence too.
    await keepEvidence();
    print(`the campaign failed (${(error as Error).message}); data and logs kept in ${dataDir}`);
    throw error;
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await load?.stop().catch(() => {});
    for (const program of programs.values()) {
      if (program.alive) await program.kill().catch(() => {});
    }
    await items?.close();
    await cluster?.close();
    if (!keep) await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
}

/** What a fault needs. */
interface FaultContext {
  cluster: ProxiedCluster;
  kafka: Kafka;
  programs: Map<string, Program>;
  load: Load;
  /** Runs `fn` after `ms` (the end of a fault). */
  later(ms: number, fn: () => Promise<void>): void;
  /** The items topic: its current id and partition count (`refresh`), its recreations. */
  items: ItemsTopic;
  print(line: string): void;
}

/** Faults in progress, so the heal knows what to end. */
const active = {
  brokersDown: new Set<number>(),
  brokersPaused: new Set<number>(),
  joined: false,
};

async function applyFault(ctx: FaultContext, fault: Fault): Promise<void> {
  const { cluster, programs } = ctx;
  switch (fault.kind) {
    case "kill-consumer": {
      const program = programs.get(fault.target)!;
      if (!program.alive) return;
      await program.kill();
      ctx.later(fault.downMs, () => program.start());
      return;
    }
    case "pause-consumer": {
      const program = programs.get(fault.target)!;
      if (!program.alive || program.paused) return;
      program.pause(true);
      ctx.later(fault.forMs, () => {
        if (program.paused) program.pause(false);
        return Promise.resolve();
      });
      return;
    }
    case "kill-broker":
      await cluster.command("kill", fault.node);
      active.brokersDown.add(fault.node);
      ctx.later(fault.downMs, async () => {
        await cluster.command("start", fault.node);
        active.brokersDown.delete(fault.node);
      });
      return;
    case "pause-broker":
      await cluster.command("pause", fault.node);
      active.brokersPaused.add(fault.node);
      ctx.later(fault.forMs, async () => {
        await cluster.command("resume", fault.node);
        active.brokersPaused.delete(fault.node);
      });
      return;
    case "cut":
      cluster.proxies[fault.node - 1].cut();
      return;
    case "delay":
      cluster.proxies[fault.node - 1].delay(fault.delayMs);
      ctx.later(fault.forMs, () => Promise.resolve(cluster.proxies[fault.node - 1].delay(0)));
      return;
    case "blackhole":
      cluster.proxies[fault.node - 1].blackhole(true);
      ctx.later(fault.forMs, () => {
        cluster.proxies[fault.node - 1].blackhole(false);
        cluster.proxies[fault.node - 1].cut();
        return Promise.resolve();
      });
      return;
    case "leader-move":
      // A controlled shutdown moves the node's leaderships to the others.
      await cluster.command("stop", fault.node);
      active.brokersDown.add(fault.node);
      ctx.later(5_000, async () => {
        await cluster.command("start", fault.node);
        active.brokersDown.delete(fault.node);
      });
      return;
    case "add-partition":
      await withAdmin(ctx.kafka, async (admin) => {
        const [meta] = (await admin.fetchTopicMetadata({ topics: [fault.topic] })).topics;
        if (meta.partitions.length >= 6) return;
        await admin.createPartitions({
          topicPartitions: [{ topic: fault.topic, count: meta.partitions.length + 1 }],
        });
      });
      if (fault.topic === ITEMS_TOPIC) await ctx.items.refresh();
      return;
    case "recreate-topic":
      await ctx.items.recreate(() =>
        withAdmin(ctx.kafka, async (admin) => {
          await admin.deleteTopics({ topics: [ITEMS_TOPIC] });
          for (let i = 0; i < 120; i++) {
            try {
              await admin.createTopics({
                waitForLeaders: true,
                topics: [{ topic: ITEMS_TOPIC, numPartitions: 3, replicationFactor: 3 }],
              });
              break;
            } catch {
              await new Promise((r) => setTimeout(r, 500)); // still being deleted
            }
          }
        })
      );
      return;
    case "delete-records": {
      // Records written while the sink is stopped, then deleted before it reads them.
      const sink = programs.get("sink")!;
      if (!sink.alive || sink.paused) return;
      sink.pause(true);
      try {
        await ctx.load.burst(fault.partition, 20);
        const { topicId } = await ctx.items.refresh();
        await withAdmin(ctx.kafka, async (admin) => {
          const ends = await admin.fetchTopicOffsets(ITEMS_TOPIC);
          const end = ends.find((e) => e.partition === fault.partition);
          if (!end) return;
          const before = Number(end.high) - 5;
          await admin.deleteTopicRecords({
            topic: ITEMS_TOPIC,
            partitions: [{ partition: fault.partition, offset: String(before) }],
          });
          ctx.load.record.deletions.push({ topicId, partition: fault.partition, before });
        });
      } finally {
        sink.pause(false);
      }
      return;
    }
    case "gateway-outage": {
      const program = programs.get(fault.target)!;
      if (program.alive) await program.stop();
      await program.start({ PAYMENTS_GATEWAY_DOWN_MS: String(fault.outageMs) });
      return;
    }
    case "join-leave": {
      if (active.joined) return;
      const c = programs.get("payments-c")!;
      active.joined = true;
      await c.start();
      ctx.later(fault.forMs, async () => {
        await c.stop();
        active.joined = false;
      });
      return;
    }
  }
}

/** Ends every fault: brokers back, proxies healed, consumers continued and running. */
async function healAll(ctx: FaultContext, timers: Set<ReturnType<typeof setTimeout>>) {
  for (const timer of timers) clearTimeout(timer);
  timers.clear();
  for (const proxy of ctx.cluster.proxies) proxy.heal();
  for (const node of active.brokersPaused) await ctx.cluster.command("resume", node);
  for (const node of active.brokersDown) await ctx.cluster.command("start", node);
  active.brokersPaused.clear();
  active.brokersDown.clear();
  for (const name of CONSUMERS) {
    const program = ctx.programs.get(name)!;
    if (program.paused) program.pause(false);
    if (!program.alive) await program.start();
  }
  const c = ctx.programs.get("payments-c")!;
  if (c.alive) await c.stop();
  active.joined = false;
}

/** Waits until the checker finds nothing stuck (or the timeout), then checks once more. */
async function drain(ctx: FaultContext, dataDir: string, timeoutMs: number) {
  const run = () =>
    check({
      kafka: ctx.kafka,
      dataDir,
      load: ctx.load.record,
      itemsTopic: ITEMS_TOPIC,
      consumers: [
        "sink",
        "doctor-campaign",
        "orders-service",
        "balances-service",
        "payments-service-a",
        "payments-service-b",
        "payments-service-c",
      ],
      payments: ["payments-service-a", "payments-service-b", "payments-service-c"],
      groups: [
        "doctor-campaign",
        "orders-service",
        "payments-service-group",
        "balances-service",
        SINK_GROUP,
      ],
      dead: CONSUMERS.filter((name) => !ctx.programs.get(name)!.alive),
    });
  const deadline = Date.now() + timeoutMs;
  // A look that fails (a leader still moving after the heal: the checker's reads are not
  // retried by KafkaJS's admin) is taken again 10 s later; only the last one's error counts.
  const look = async (): Promise<CheckResult | undefined> => {
    try {
      return await run();
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      ctx.print(`  draining: the check failed (${(error as Error).message}); looking again`);
      return undefined;
    }
  };
  let result = await look();
  while ((result === undefined || result.lost + result.stuck > 0) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 10_000));
    result = await look();
    if (result) {
      ctx.print(
        `  draining: ${result.lost} missing, ${result.duplicated} duplicated, ${result.stuck} stuck`,
      );
    }
  }
  return result ?? await run();
}

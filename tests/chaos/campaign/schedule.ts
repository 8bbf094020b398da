/**
 * The campaign's schedule of faults, drawn from a seed: the same seed and
 * length give the same schedule, printed at the start so a failing seed
 * replays. A fault starts every few seconds; faults of brokers never
 * overlap (one broker down, paused, cut off or leaving at a time: the
 * cluster keeps min.insync.replicas=2), faults of consumers may.
 */
import { Random } from "./prng.ts";

/** The consumer processes a fault can hit. */
export const CONSUMERS = [
  "doctor",
  "payments-a",
  "payments-b",
  "orders",
  "balances",
  "sink",
] as const;
export type ConsumerName = typeof CONSUMERS[number];

/** Topics the campaign may add partitions to. */
export const GROWING_TOPICS = ["campaign.items", "demands.created", "orders.created"] as const;

/** One fault of the schedule. */
export type Fault =
  | { kind: "kill-consumer"; target: ConsumerName; downMs: number }
  | { kind: "pause-consumer"; target: ConsumerName; forMs: number }
  | { kind: "kill-broker"; node: number; downMs: number }
  | { kind: "pause-broker"; node: number; forMs: number }
  | { kind: "cut"; node: number }
  | { kind: "delay"; node: number; delayMs: number; forMs: number }
  | { kind: "blackhole"; node: number; forMs: number }
  | { kind: "leader-move"; node: number }
  | { kind: "add-partition"; topic: typeof GROWING_TOPICS[number] }
  | { kind: "recreate-topic" }
  | { kind: "delete-records"; partition: number }
  | { kind: "gateway-outage"; target: "payments-a" | "payments-b"; outageMs: number }
  | { kind: "join-leave"; forMs: number };

/** A fault and when it starts, in ms from the campaign's start. */
export interface ScheduledFault {
  atMs: number;
  fault: Fault;
}

const BROKER_FAULTS = new Set(["kill-broker", "pause-broker", "blackhole", "leader-move", "delay"]);

/** How long a fault keeps its target away (for the no-overlap rule of brokers). */
export function faultLengthMs(fault: Fault): number {
  switch (fault.kind) {
    case "kill-consumer":
    case "kill-broker":
      return fault.downMs;
    case "pause-consumer":
    case "pause-broker":
    case "delay":
    case "blackhole":
    case "join-leave":
      return fault.forMs;
    case "gateway-outage":
      return fault.outageMs;
    case "leader-move":
      return 20_000;
    default:
      return 0;
  }
}

/** The schedule of a campaign of `minutes` from `seed`, for a cluster of `nodes`. */
export function drawSchedule(seed: number, minutes: number, nodes = 3): ScheduledFault[] {
  const random = new Random(seed);
  const endMs = minutes * 60_000;
  const schedule: ScheduledFault[] = [];
  let brokersFreeAt = 0;
  let recreated = 0;
  for (let at = random.int(3_000, 8_000); at < endMs; at += random.int(4_000, 12_000)) {
    const kind = random.weighted({
      "kill-consumer": 14,
      "pause-consumer": 10,
      "kill-broker": 6,
      "pause-broker": 4,
      cut: 8,
      delay: 5,
      blackhole: 4,
      "leader-move": 4,
      "add-partition": 3,
      "recreate-topic": 2,
      "delete-records": 4,
      "gateway-outage": 5,
      "join-leave": 4,
    });
    const node = random.int(1, nodes);
    let fault: Fault;
    switch (kind) {
      case "kill-consumer":
        fault = { kind, target: random.pick(CONSUMERS), downMs: random.int(500, 6_000) };
        break;
      case "pause-consumer":
        fault = { kind, target: random.pick(CONSUMERS), forMs: random.int(1_000, 12_000) };
        break;
      case "kill-broker":
        fault = { kind, node, downMs: random.int(4_000, 15_000) };
        break;
      case "pause-broker":
        fault = { kind, node, forMs: random.int(2_000, 10_000) };
        break;
      case "cut":
        fault = { kind, node };
        break;
      case "delay":
        fault = { kind, node, delayMs: random.int(20, 400), forMs: random.int(3_000, 12_000) };
        break;
      case "blackhole":
        fault = { kind, node, forMs: random.int(2_000, 10_000) };
        break;
      case "leader-move":
        fault = { kind, node };
        break;
      case "add-partition":
        fault = { kind, topic: random.pick(GROWING_TOPICS) };
        break;
      case "recreate-topic":
        // At most one recreation a few minutes: each loses what the sink had not read.
        if (recreated * 4 >= minutes + 1) continue;
        recreated++;
        fault = { kind };
        break;
      case "delete-records":
        fault = { kind, partition: random.int(0, 2) };
        break;
      case "gateway-outage":
        fault = {
          kind,
          target: random.pick(["payments-a", "payments-b"] as const),
          outageMs: random.int(3_000, 15_000),
        };
        break;
      default:
        fault = { kind: "join-leave", forMs: random.int(8_000, 30_000) };
    }
    if (BROKER_FAULTS.has(fault.kind)) {
      if (at < brokersFreeAt) continue;
      brokersFreeAt = at + faultLengthMs(fault) + 3_000;
    }
    schedule.push({ atMs: at, fault });
  }
  return schedule;
}

/** One line of the printed schedule. */
export function describeFault({ atMs, fault }: ScheduledFault): string {
  const { kind, ...rest } = fault;
  const details = Object.entries(rest).map(([k, v]) => `${k}=${v}`).join(" ");
  return `${(atMs / 1000).toFixed(1).padStart(7)} s  ${kind}${details ? ` ${details}` : ""}`;
}

/**
 * Set-up of the balances and POC tests: a random topic prefix with its own
 * `contas` (compacted, as in kafka-topics.txt), `contas.dlq` and
 * `primeiro_topico`, and prefixed ACL bindings so the real `balances` and
 * `web` principals may use them, all removed by `cleanup()`.
 */
import type { Kafka } from "kafkajs";
import { withAdmin } from "../shared/kafka/client.ts";
import { createBindings, deleteBindings } from "../shared/provision/mod.ts";
import type { AclBinding } from "../shared/provision/mod.ts";
import { TOPIC_PREFIX_ENV } from "../shared/kafka/names.ts";
import { adminKafka, randomName } from "./helpers.ts";

/** What a balances test works with. */
export interface BalancesFixture {
  /** Admin client, for set-up and for producing as an outside producer (kcat) would. */
  kafka: Kafka;
  prefix: string;
  /** `<prefix>contas` */
  topic: string;
  /** `<prefix>primeiro_topico` */
  pocTopic: string;
  /** `{FRESHET_TOPIC_PREFIX: prefix}` */
  env: Record<string, string>;
  dataDir: string;
  /** Registers a closer (stop a runner, close a server) that `cleanup` runs first, newest first. */
  defer(close: () => unknown): void;
  /** Runs the closers, then always removes the bindings, topics and data folder. */
  cleanup(): Promise<void>;
}

/** Options of `balancesFixture`. */
export interface BalancesFixtureOptions {
  /** Partitions of `contas` (default 3, as in kafka-topics.txt). */
  partitions?: number;
  /** `cleanup.policy=compact` (default true; a compacted topic refuses keyless records). */
  compacted?: boolean;
}

function grant(principal: string, prefix: string, operation: string): AclBinding {
  return {
    principal,
    resourceType: "topic",
    patternType: "prefixed",
    resourceName: prefix,
    operation,
    permission: "allow",
    host: "*",
  };
}

/** Creates the prefixed topics and bindings. */
export async function balancesFixture(
  options: BalancesFixtureOptions = {},
): Promise<BalancesFixture> {
  const kafka = adminKafka();
  const prefix = `${randomName("bal")}.`;
  const topic = `${prefix}contas`;
  const pocTopic = `${prefix}primeiro_topico`;
  const compact = options.compacted ?? true;
  const bindings = ["balances", "web"].flatMap((principal) =>
    ["READ", "WRITE", "DESCRIBE"].map((op) => grant(principal, prefix, op))
  );
  await withAdmin(kafka, async (admin) => {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: options.partitions ?? 3,
          configEntries: compact ? [{ name: "cleanup.policy", value: "compact" }] : [],
        },
        { topic: `${topic}.dlq`, numPartitions: 1 },
        { topic: pocTopic, numPartitions: 1 },
      ],
    });
    await createBindings(admin, bindings);
  });
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-balances-" });
  const closers: (() => unknown)[] = [];
  return {
    kafka,
    prefix,
    topic,
    pocTopic,
    env: { [TOPIC_PREFIX_ENV]: prefix },
    dataDir,
    defer(close) {
      closers.push(close);
    },
    async cleanup() {
      const errors: unknown[] = [];
      for (const close of closers.reverse()) {
        await Promise.resolve().then(close).catch((error) => errors.push(error));
      }
      await withAdmin(kafka, async (admin) => {
        await deleteBindings(admin, bindings);
        await admin.deleteTopics({ topics: [topic, `${topic}.dlq`, pocTopic] });
      });
      await Deno.remove(dataDir, { recursive: true });
      if (errors.length > 0) throw errors[0];
    },
  };
}

/** A balance value as the seed's producers send it. */
export function balanceJson(
  id: string,
  saldo: number,
  timestamp: string | number = "2025-10-14T10:30:45",
): string {
  return JSON.stringify({ cliente_id: id, saldo, timestamp });
}

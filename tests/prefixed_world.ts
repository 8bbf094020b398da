/**
 * An isolated world on the shared broker for one test: a random topic
 * prefix, the given topics under it (3 partitions, their DLQs 1), the
 * kafka-acls.txt topic rules of the given principals copied onto the
 * prefixed topics (so services run as their real principals), and a data
 * folder. `close()` removes all of it.
 */
import type { Kafka } from "kafkajs";
import type { Hono } from "hono";
import type { WebEnv } from "../shared/web/route_types.ts";
import { withAdmin } from "../shared/kafka/client.ts";
import {
  type AclBinding,
  createBindings,
  DEFAULT_ACLS_FILE,
  deleteBindings,
  readAclsFile,
} from "../shared/provision/mod.ts";
import type { RunningServer } from "../shared/web/serve.ts";
import { createApp, type CreateAppOptions, serveApp, type ServeAppOptions } from "../main.ts";
import { adminKafka, createTopics, randomName } from "./helpers.ts";
import { fakeProbe } from "./web_helpers.ts";
import { PRINCIPALS } from "../freshet.ts";

/** One test's topics, ACLs and data folder. */
export interface PrefixedWorld {
  /** Admin client: set-up, and producing as an outside producer would. */
  kafka: Kafka;
  /** `FRESHET_TOPIC_PREFIX` of this world, e.g. `t-1a2b3c4d5e6f.` */
  prefix: string;
  dataDir: string;
  /** `base` under this world's prefix. */
  topic(base: string): string;
  /** Deletes the ACL bindings, the topics and the data folder. */
  close(): Promise<void>;
}

/** Bindings of kafka-acls.txt for `principals` on topics, moved under `prefix`. */
async function prefixedBindings(prefix: string, principals: string[]): Promise<AclBinding[]> {
  const file = await readAclsFile(DEFAULT_ACLS_FILE, { principals: PRINCIPALS });
  return file
    .filter((b) => principals.includes(b.principal) && b.resourceType === "topic")
    .map(({ line: _line, ...b }) => ({ ...b, resourceName: `${prefix}${b.resourceName}` }));
}

/** Creates the world for `topics` (each with a `.dlq`) and `principals`. */
export async function prefixedWorld(
  options: { label: string; topics: string[]; principals: string[] },
): Promise<PrefixedWorld> {
  const kafka = adminKafka();
  const prefix = `${randomName(options.label)}.`;
  const topic = (base: string) => `${prefix}${base}`;
  const dropTopics = await createTopics(kafka, [
    ...options.topics.map((t) => ({ topic: topic(t), numPartitions: 3 })),
    ...options.topics.map((t) => ({ topic: topic(`${t}.dlq`) })),
  ]);
  const bindings = await prefixedBindings(prefix, options.principals);
  await withAdmin(kafka, (admin) => createBindings(admin, bindings));
  const dataDir = await Deno.makeTempDir({ prefix: `freshet-${options.label}-` });
  return {
    kafka,
    prefix,
    dataDir,
    topic,
    async close() {
      await withAdmin(kafka, (admin) => deleteBindings(admin, bindings));
      await dropTopics();
      await Deno.remove(dataDir, { recursive: true });
    },
  };
}

/**
 * The real app served on a free 127.0.0.1 port for `world`: its data
 * folder and topic prefix, no consumer Workers, no bus socket, a broker
 * probe that needs no network. `options` override any of that.
 */
export function startWorldServer(
  world: PrefixedWorld,
  options: Partial<ServeAppOptions> = {},
): Promise<RunningServer> {
  return serveApp({
    hostname: "127.0.0.1",
    port: 0,
    dataDir: world.dataDir,
    topicPrefix: world.prefix,
    env: {},
    consumers: [],
    busBridge: false,
    brokerProbe: fakeProbe(),
    ...options,
  });
}

/**
 * The real app in process for `world` (no server, no consumer Workers):
 * its data folder and topic prefix, a broker probe that needs no network.
 * `shutdown()` ends its streams and closes its clients.
 */
export async function createWorldApp(
  world: Pick<PrefixedWorld, "dataDir" | "prefix">,
  options: CreateAppOptions = {},
): Promise<{ app: Hono<WebEnv>; shutdown: () => void }> {
  const controller = new AbortController();
  const app = await createApp({
    dataDir: world.dataDir,
    topicPrefix: world.prefix,
    env: {},
    brokerProbe: fakeProbe(),
    shutdown: controller.signal,
    ...options,
  });
  return { app, shutdown: () => controller.abort() };
}

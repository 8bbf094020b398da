/**
 * A consumer of the tour on Freshet's own consumer runner (shared/consumer):
 * zod validation, SQLite transactions with the offsets, dead letters,
 * retries — exactly as the services' consumers run, in a group and a data
 * folder of the run.
 */
import { DatabaseSync } from "node:sqlite";
import type { ConsumerDefinition, TopicHandler } from "../shared/consumer/define.ts";
import { createRunner } from "../shared/consumer/main.ts";
import type { ConsumerRunner, ConsumerRunnerOptions } from "../shared/consumer/runner.ts";
import type { Migration } from "../shared/sqlite/sqlite.ts";
import type { Tour } from "./tour.ts";

/** Starts a runner named `name` (its group `<run>-<name>`) as the admin principal. */
export async function startTourConsumer(
  tour: Tour,
  options: {
    name: string;
    topics: Record<string, TopicHandler>;
    migrations: Migration[];
    runner?: Partial<ConsumerRunnerOptions>;
  },
): Promise<ConsumerRunner> {
  const definition: ConsumerDefinition = {
    name: options.name,
    principal: "admin",
    groupId: tour.group(options.name),
    topics: options.topics,
    migrations: options.migrations,
  };
  const runner = tour.track(createRunner(definition, {
    dataDir: tour.dataDir,
    mode: "process",
    kafka: tour.admin,
    sessionTimeoutMs: 6_000,
    ...options.runner,
  }));
  await runner.start();
  return runner;
}

/** Runs `fn` on a read-only view of the consumer `name`'s database. */
export function readDb<T>(tour: Tour, name: string, fn: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(`${tour.dataDir}/${name}/${name}.db`, { readOnly: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

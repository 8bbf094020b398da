/**
 * A consumer for the kernel's unit tests, without Kafka: a SQLite database
 * with the kernel's tables, a definition storing `{n}` values, and handlers
 * that fail as a test says (a retriable failure for some `n`, a rejection
 * for others). Messages are built as the runner builds them from a batch.
 */
import { z } from "zod";
import { FreshetError, TransientError } from "../core/errors.ts";
import { OUTBOX_MIGRATION } from "../outbox/outbox.ts";
import { type DatabaseSync, openDatabase } from "../sqlite/sqlite.ts";
import type { BatchMessage } from "./apply_batch.ts";
import { CONSUMER_META_MIGRATION } from "./cluster_stamp.ts";
import { type ConsumerDefinition, topic } from "./define.ts";
import { OFFSETS_MIGRATION } from "./offsets.ts";

/** The fixture: its database, definition, failure switches and a way to close it. */
export interface ChunkFixture {
  db: DatabaseSync;
  definition: ConsumerDefinition;
  /** `n`s whose handler throws a retriable error (an outage, or a poison message that looks transient). */
  failing: Set<number>;
  /** `n`s whose handler throws a non-retriable error. */
  rejected: Set<number>;
  /** The `n`s stored, in order. */
  rows(): number[];
  /** Messages of partition 0 of topic `t`, `n` = offset, from `from`. */
  messages(from: number, count: number): BatchMessage[];
  close(): Promise<void>;
}

/** Creates the fixture in a temporary folder. */
export async function chunkFixture(): Promise<ChunkFixture> {
  const dir = await Deno.makeTempDir({ prefix: "freshet-chunk-" });
  const failing = new Set<number>();
  const rejected = new Set<number>();
  const definition: ConsumerDefinition = {
    name: "fixture",
    principal: "admin",
    groupId: "fixture",
    migrations: [{ version: 1, name: "items", up: "CREATE TABLE items (n INTEGER NOT NULL)" }],
    topics: {
      t: topic({
        schema: z.object({ n: z.number().int() }),
        handle(ctx) {
          if (failing.has(ctx.value.n)) throw new TransientError(`n=${ctx.value.n} failed`);
          if (rejected.has(ctx.value.n)) {
            throw new FreshetError(`n=${ctx.value.n} rejected`, {
              code: "REJECTED",
              retriable: false,
            });
          }
          ctx.db.prepare("INSERT INTO items (n) VALUES (?)").run(ctx.value.n);
        },
      }),
    },
  };
  const db = openDatabase(`${dir}/fixture.db`, {
    migrations: [
      ...definition.migrations,
      OFFSETS_MIGRATION,
      OUTBOX_MIGRATION,
      CONSUMER_META_MIGRATION,
    ],
  });
  const encoder = new TextEncoder();
  return {
    db,
    definition,
    failing,
    rejected,
    rows: () => db.prepare("SELECT n FROM items ORDER BY rowid").all().map((r) => Number(r.n)),
    messages: (from, count) =>
      Array.from({ length: count }, (_, i) => ({
        topic: "t",
        partition: 0,
        offset: from + i,
        timestamp: 0,
        key: null,
        value: encoder.encode(JSON.stringify({ n: from + i })),
        headers: {},
      })),
    async close() {
      db.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

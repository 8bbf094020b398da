/**
 * The applying half of the two-thread doctor prototype, run as a Worker: it
 * owns the doctor's database and stores each chunk of already validated
 * demands with `insertDemand` and the partition's offset (compare-and-set,
 * as the runner does) in one transaction, then says how many it stored.
 */
/// <reference lib="deno.worker" />
import type { Demand } from "../services/demands/demand.ts";
import { DOCTOR_MIGRATIONS, insertDemand } from "../services/demands/doctor_db.ts";
import { OFFSETS_MIGRATION, offsetStore } from "../shared/consumer/offsets.ts";
import { type DatabaseSync, openDatabase, transaction } from "../shared/sqlite/sqlite.ts";

/** What the fetching thread sends. */
export type ApplyRequest =
  | { type: "open"; path: string }
  | {
    type: "apply";
    topic: string;
    partition: number;
    /** The stored offset this chunk moves from (undefined: none yet). */
    expected: number | undefined;
    offsets: number[];
    demands: Demand[];
  };

/** What the Worker answers. */
export type ApplyReply = { type: "opened" } | { type: "applied"; count: number } | {
  type: "failed";
  error: string;
};

let db: DatabaseSync | undefined;

self.onmessage = (event: MessageEvent<ApplyRequest>) => {
  const request = event.data;
  try {
    if (request.type === "open") {
      db = openDatabase(request.path, { migrations: [...DOCTOR_MIGRATIONS, OFFSETS_MIGRATION] });
      return reply({ type: "opened" });
    }
    const store = offsetStore(db!);
    const { topic, partition, offsets, demands } = request;
    transaction(db!, () => {
      for (let i = 0; i < demands.length; i++) {
        insertDemand(db!, "bench", demands[i], { topic, partition, offset: offsets[i] });
      }
      store.advance(topic, partition, request.expected, offsets[offsets.length - 1] + 1);
    });
    reply({ type: "applied", count: demands.length });
  } catch (error) {
    reply({ type: "failed", error: String((error as Error)?.stack ?? error) });
  }
};

function reply(message: ApplyReply): void {
  self.postMessage(message);
}

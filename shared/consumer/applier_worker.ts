/**
 * The applier of the pipelined runner, run as a Worker of the consumer's
 * thread (applier.ts starts it): it loads the consumer's module, opens its
 * own connection to the consumer's database and applies the chunks it is
 * sent with `applyBatch`, the same code as the runner's own thread
 * (decoding, validation, dead letters of values that do not decode), one
 * after the other. A chunk that throws is rolled back and reported; the
 * later chunks of its lane are dropped, not applied out of order.
 */
/// <reference lib="deno.worker" />
import { type DatabaseSync, openDatabase } from "../sqlite/sqlite.ts";
import { errorMessage } from "../core/errors.ts";
import { applyBatch, type BatchMessage } from "./apply_batch.ts";
import type {
  ApplierChunk,
  ApplierMeta,
  ApplierReply,
  ApplierRequest,
} from "./applier_protocol.ts";
import { resolveNotes } from "./bus_notes.ts";
import type { ConsumerDefinition, ConsumerModule } from "./define.ts";
import { partitionKey } from "./partition_state.ts";
import { type OffsetStore, offsetStore } from "./offsets.ts";

let db: DatabaseSync | undefined;
let definition: ConsumerDefinition | undefined;
let offsets: OffsetStore | undefined;
/** The lane of each partition whose chunk failed: its later chunks are dropped. */
const failedLanes = new Map<string, number>();

function reply(message: ApplierReply): void {
  self.postMessage(message);
}

/** The module's ConsumerModule export: the one with `create` and `env`. */
function consumerModuleOf(exports: Record<string, unknown>, url: string): ConsumerModule {
  const found = Object.values(exports).filter((value): value is ConsumerModule =>
    typeof (value as ConsumerModule)?.create === "function" &&
    Array.isArray((value as ConsumerModule)?.env)
  );
  if (found.length !== 1) {
    throw new Error(`${url} exports ${found.length} consumer modules; the applier needs one`);
  }
  return found[0];
}

/** The chunk's messages, each value a view of the chunk's bytes. */
function chunkMessages(chunk: ApplierChunk): BatchMessage[] {
  const meta: ApplierMeta = JSON.parse(chunk.meta);
  const messages: BatchMessage[] = [];
  let at = 0;
  for (let i = 0; i < meta.offsets.length; i++) {
    const length = chunk.lengths[i];
    const value = length < 0 ? null : chunk.values.subarray(at, at += length);
    messages.push({
      topic: chunk.topic,
      partition: chunk.partition,
      offset: meta.offsets[i],
      timestamp: meta.timestamps[i],
      key: meta.keys[i],
      headers: meta.headers[i],
      value,
    });
  }
  return messages;
}

function apply(chunk: ApplierChunk): ApplierReply {
  const key = partitionKey(chunk.topic, chunk.partition);
  if (failedLanes.get(key) === chunk.lane) return { type: "dropped", id: chunk.id };
  const messages = chunkMessages(chunk);
  try {
    const outcome = applyBatch({
      db: db!,
      definition: definition!,
      handler: definition!.topics[chunk.topic],
      topic: chunk.topic,
      partition: chunk.partition,
      poison: new Map(),
      events: "outbox",
      offsets: { store: offsets!, expected: chunk.expected },
    }, messages);
    return {
      type: "applied",
      id: chunk.id,
      applied: outcome.applied,
      deadLettered: outcome.deadLettered,
      enqueued: outcome.enqueued,
      notes: resolveNotes(outcome.notes),
    };
  } catch (error) {
    failedLanes.set(key, chunk.lane);
    return { type: "failed", id: chunk.id, error: errorMessage(error) };
  }
}

self.onmessage = async (event: MessageEvent<ApplierRequest>) => {
  const request = event.data;
  if (request.type === "apply") return reply(apply(request));
  try {
    const exports = await import(request.moduleUrl);
    definition = consumerModuleOf(exports, request.moduleUrl).create(request.env);
    // The runner's thread migrated it; this connection only writes rows and offsets.
    db = openDatabase(request.dbPath);
    offsets = offsetStore(db);
    reply({ type: "opened" });
  } catch (error) {
    reply({ type: "open-failed", error: errorMessage(error) });
  }
};

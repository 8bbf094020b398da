/**
 * What the pipelined runner's two threads say to each other: the runner
 * (fetching) posts chunks of one partition's messages as bytes; the
 * applier Worker (owning the database's writes for them) decodes,
 * validates and applies each in one SQLite transaction with the
 * partition's offset (compare-and-set), dead letters included, and
 * answers how it went.
 */
import type { PublishedNote } from "./bus_notes.ts";

/** Opens the applier: the consumer's module, built with `env`, over the database at `dbPath`. */
export interface ApplierOpen {
  type: "open";
  /** URL of a module exporting the ConsumerModule (one export with `create` and `env`). */
  moduleUrl: string;
  env: Record<string, string>;
  dbPath: string;
}

/** The messages' small fields, sent as one JSON text (cheaper to cross than objects). */
export interface ApplierMeta {
  offsets: number[];
  timestamps: number[];
  keys: (string | null)[];
  headers: Record<string, string>[];
}

/** One chunk of one partition: the values as bytes, decoded and validated by the applier. */
export interface ApplierChunk {
  type: "apply";
  id: number;
  topic: string;
  partition: number;
  /**
   * The partition's lane: after a chunk of a lane failed, the later chunks
   * of that lane are dropped unapplied (the runner applies them again
   * from the stored offset on its own thread, in a new lane).
   */
  lane: number;
  /** The stored offset this chunk moves from. */
  expected: number;
  /** JSON of ApplierMeta. */
  meta: string;
  /** Every value's bytes, one after the other (transferred, not copied). */
  values: Uint8Array;
  /** Each value's length in `values`; -1 for a null value (a tombstone). */
  lengths: Int32Array;
}

/** What the runner sends. */
export type ApplierRequest = ApplierOpen | ApplierChunk;

/** A committed chunk. */
export interface ApplierApplied {
  type: "applied";
  id: number;
  applied: number;
  deadLettered: number;
  enqueued: boolean;
  notes: PublishedNote[];
}

/** A chunk rolled back (`failed`: it threw) or not tried (`dropped`: an earlier one of its lane failed). */
export interface ApplierNotApplied {
  type: "failed" | "dropped";
  id: number;
  error?: string;
}

/** What the applier answers. */
export type ApplierReply =
  | { type: "opened" }
  | { type: "open-failed"; error: string }
  | ApplierApplied
  | ApplierNotApplied;

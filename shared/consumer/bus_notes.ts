/**
 * Publishing a committed transaction's bus notes: one by one, or, past
 * MAX_NOTES_PER_TRANSACTION, one `bulk` note `{count, types}` per bus topic.
 */
import { publish } from "../bus/bus.ts";
import { type BusNote, MAX_NOTES_PER_TRANSACTION } from "./define.ts";

/** A note as published: its data computed. */
export interface PublishedNote {
  topic: string;
  type: string;
  data: unknown;
}

/** Publishes a committed transaction's notes. */
export function publishNotes(notes: BusNote[]): void {
  for (const note of resolveNotes(notes)) publish(note.topic, note.type, note.data);
}

/**
 * The notes a committed transaction publishes, their data computed (call
 * it right after the commit: a note's data function reads the database);
 * what crosses to another thread (the pipelined runner's applier).
 */
export function resolveNotes(notes: BusNote[]): PublishedNote[] {
  if (notes.length <= MAX_NOTES_PER_TRANSACTION) {
    return notes.map((note) => ({
      topic: note.topic,
      type: note.type,
      data: typeof note.data === "function" ? note.data() : note.data,
    }));
  }
  const byTopic = new Map<string, { count: number; types: Set<string> }>();
  for (const note of notes) {
    const entry = byTopic.get(note.topic) ?? { count: 0, types: new Set<string>() };
    entry.count++;
    entry.types.add(note.type);
    byTopic.set(note.topic, entry);
  }
  return [...byTopic].map(([topic, { count, types }]) => ({
    topic,
    type: "bulk",
    data: { count, types: [...types] },
  }));
}

/**
 * Publishing a committed transaction's bus notes: one by one, or, past
 * MAX_NOTES_PER_TRANSACTION, one `bulk` note `{count, types}` per bus topic.
 */
import { publish } from "../bus/bus.ts";
import { type BusNote, MAX_NOTES_PER_TRANSACTION } from "./define.ts";

/** Publishes a committed transaction's notes. */
export function publishNotes(notes: BusNote[]): void {
  if (notes.length <= MAX_NOTES_PER_TRANSACTION) {
    for (const note of notes) {
      const data = typeof note.data === "function" ? note.data() : note.data;
      publish(note.topic, note.type, data);
    }
    return;
  }
  const byTopic = new Map<string, { count: number; types: Set<string> }>();
  for (const note of notes) {
    const entry = byTopic.get(note.topic) ?? { count: 0, types: new Set<string>() };
    entry.count++;
    entry.types.add(note.type);
    byTopic.set(note.topic, entry);
  }
  for (const [topic, { count, types }] of byTopic) {
    publish(topic, "bulk", { count, types: [...types] });
  }
}

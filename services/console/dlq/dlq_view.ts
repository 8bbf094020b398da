/**
 * Dead letters as the console shows them: every dead-letter topic
 * (Freshet's `.dlq`, Spring's `.DLT`, … see conventions.ts) with its count
 * and newest arrivals, and each dead letter as a message plus what its
 * headers say (convention, reason, origin, time) and whether it was redriven.
 */
import type { Admin } from "kafkajs";
import type { DatabaseSync } from "../../../shared/sqlite/sqlite.ts";
import { browse } from "../messages/browse.ts";
import { DEFAULT_BUDGET } from "../messages/browse_types.ts";
import type { LogClient } from "../../../shared/kafka/wire/log_client.ts";
import { type MessageJson, messageJson } from "../messages/web/page_json.ts";
import type { MessageView } from "../messages/message_view.ts";
import { mapLimit } from "../../../shared/core/map_limit.ts";
import { type DeadLetterInfo, deadLetterInfo } from "./dead_letter_info.ts";
import { type RedriveRecord, redriveRecords } from "./redrive_log.ts";
import { DLQ_SUFFIX } from "./redrive.ts";
import { isDeadLetterTopic } from "./conventions.ts";

/** A dead letter: the message, its reason and origin, its redrive (if any). */
export interface DeadLetterJson extends MessageJson {
  deadLetter: DeadLetterInfo;
  redriven: RedriveRecord | null;
}

/** One dead-letter topic. */
export interface DlqTopicSummary {
  topic: string;
  /**
   * Where its dead letters came from (and go back to): `<topic>` of a
   * `<topic>.dlq`; else what its newest dead letter's headers name (null: none yet).
   */
  originalTopic: string | null;
  partitions: number;
  /** Dead letters kept (end − start offsets). */
  count: number;
  /** The newest few, newest first. */
  newest: DeadLetterJson[];
}

/** `messages` of `topic` with their dead-letter details. */
export function deadLetters(
  db: DatabaseSync,
  topic: string,
  messages: MessageView[],
): DeadLetterJson[] {
  const records = redriveRecords(db, topic, messages);
  return messages.map((m) => ({
    ...messageJson(topic, m),
    deadLetter: deadLetterInfo(m.headers),
    redriven: records.get(`${m.partition}:${m.offset}`) ?? null,
  }));
}

/** Every dead-letter topic, by name, with `newest` dead letters each. */
export async function listDlqTopics(
  admin: Admin,
  reader: LogClient,
  db: DatabaseSync,
  options: { newest?: number } = {},
): Promise<DlqTopicSummary[]> {
  const topics = (await admin.listTopics()).filter(isDeadLetterTopic).sort();
  return await mapLimit(topics, 4, async (topic) => {
    const page = await browse(reader, {
      topic,
      seek: { kind: "newest" },
      limit: options.newest ?? 3,
      filter: {},
      budget: DEFAULT_BUDGET,
    });
    const newest = deadLetters(db, topic, page.messages);
    return {
      topic,
      originalTopic: topic.endsWith(DLQ_SUFFIX)
        ? topic.slice(0, -DLQ_SUFFIX.length)
        : newest[0]?.deadLetter.originalTopic ?? null,
      partitions: page.partitions.length,
      count: page.partitions.reduce((n, p) => n + (p.high - p.low), 0),
      newest,
    };
  });
}

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
import { isMissingTopic, isMissingTopicName } from "../../../shared/kafka/errors.ts";
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

/**
 * Whether `error` says a topic is not there (deleted after the topics were
 * listed): KafkaJS's error, or the kernel's log client's (its `code`).
 */
function topicGone(error: unknown): boolean {
  return isMissingTopic(error) ||
    isMissingTopicName((error as { code?: unknown } | undefined)?.code);
}

/**
 * Every dead-letter topic, by name, with `newest` dead letters each. A
 * topic deleted between the list and its read (another team, a test) is
 * left out: the page shows the others, never an error.
 */
export async function listDlqTopics(
  admin: Admin,
  reader: LogClient,
  db: DatabaseSync,
  options: { newest?: number } = {},
): Promise<DlqTopicSummary[]> {
  const topics = (await admin.listTopics()).filter(isDeadLetterTopic).sort();
  const summaries = await mapLimit(topics, 4, async (topic) => {
    try {
      return await summarise(reader, db, topic, options.newest ?? 3);
    } catch (error) {
      if (topicGone(error)) return undefined;
      throw error;
    }
  });
  return summaries.filter((s): s is DlqTopicSummary => s !== undefined);
}

/** One dead-letter topic's summary with its `newest` dead letters. */
async function summarise(
  reader: LogClient,
  db: DatabaseSync,
  topic: string,
  newestCount: number,
): Promise<DlqTopicSummary> {
  const page = await browse(reader, {
    topic,
    seek: { kind: "newest" },
    limit: newestCount,
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
}

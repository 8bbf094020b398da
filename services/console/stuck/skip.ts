/**
 * Copy a stuck record to its dead-letter topic and skip it: the record at
 * a group's committed offset goes to `<topic>.dlq` (its key, value and
 * headers, plus Freshet's dead-letter headers saying who skipped it and
 * from where), then the group's offset moves past it by one.
 *
 * - A Kafka group: an OffsetCommit for the empty group (reset_offsets.ts),
 *   refused while the group has members, as Kafka itself requires.
 * - A Freshet consumer's group: its offsets live in its SQLite, so the
 *   move is the kernel's skip (shared/consumer/skip_record.ts): refused
 *   while the consumer runs (its folder's lock), compare-and-set on the
 *   stored offset.
 *
 * The plan (the preview) says what would happen, or why it cannot now;
 * the skip plans again and goes ahead only from the offset the preview
 * showed. The copy comes first: if the move then fails, the dead letter
 * is there and the record is not skipped (a second attempt copies again);
 * never a record skipped without its copy.
 */
import { Buffer } from "node:buffer";
import { HttpError } from "../../../shared/web/http_error.ts";
import { consumerDataDir } from "../../../shared/consumer/main.ts";
import {
  SkipRefusedError,
  skipStoredRecord,
  storedOffset,
} from "../../../shared/consumer/skip_record.ts";
import { CONVENTION_HEADERS } from "../dlq/conventions.ts";
import { type RawRecord, rawRecord } from "../dlq/raw_record.ts";
import { type ActionContext, audited } from "../audited.ts";
import { freshetConsumerOf } from "../groups/freshet_groups.ts";
import { describeGroup, INACTIVE_STATES } from "../groups/group_detail.ts";
import { commitOffsets } from "../groups/reset_offsets.ts";
import { newReadStats, readRanges } from "../messages/range_reader.ts";
import { hasInternalName } from "../topics/internal_topics.ts";
import { consoleWeb } from "../web/console_part.ts";

/** What a skip would do, or why it cannot now. */
export interface SkipPlan {
  group: string;
  topic: string;
  partition: number;
  /** `kafka`: an offset commit; `freshet`: the consumer's stored offset. */
  kind: "kafka" | "freshet";
  /** The Freshet consumer owning the group. */
  consumer?: string;
  /** The group's offset now (the record to skip), or null when it has none. */
  offset: number | null;
  /** The partition's end offset. */
  end: number;
  dlqTopic: string;
  /** Why it cannot go ahead now; undefined when it can. */
  refusal?: string;
}

/** Plans skipping the record at `group`'s offset on `topic`/`partition`. */
export async function planSkip(
  ctx: ActionContext,
  group: string,
  topic: string,
  partition: number,
): Promise<SkipPlan> {
  const console = ctx.services.part(consoleWeb);
  const admin = await console.kafka.admin();
  const dlqTopic = `${topic}.dlq`;
  const topics = await admin.listTopics();
  if (!topics.includes(topic)) throw new HttpError(404, `no topic ${topic} on the broker`);
  const marks = (await console.messages.pages().watermarks(topic, [partition])).get(partition);
  if (!marks) throw new HttpError(404, `topic ${topic} has no partition ${partition}`);
  const running = ctx.services.statuses.list();
  const owner = freshetConsumerOf(group, {
    services: ctx.services,
    running: running.map((r) => r.status.groupId),
  });
  const plan: SkipPlan = {
    group,
    topic,
    partition,
    kind: owner ? "freshet" : "kafka",
    consumer: owner?.consumer,
    offset: null,
    end: marks.high,
    dlqTopic,
  };
  const refuse = (why: string) => (plan.refusal ??= why);
  if (owner) {
    const folder = consumerDataDir(ctx.services.dataDir, owner.consumer);
    try {
      plan.offset = storedOffset({
        folder,
        database: `${folder}/${owner.consumer}.db`,
        topic,
        partition,
      }) ?? null;
    } catch (error) {
      if (!(error instanceof SkipRefusedError)) throw error;
      refuse(error.message);
    }
    const live = running.find((r) => r.status.groupId === group && r.status.state !== "stopped");
    if (live) {
      refuse(
        `Freshet's ${owner.consumer} consumer is running (${live.status.state}, ${live.status.mode}): ` +
          "its offsets live in its SQLite and are its own while it runs. Stop it, skip, then start it again.",
      );
    }
  } else {
    const described = await describeGroup(admin, group, { cluster: await console.kafka.cluster() });
    plan.offset = described.offsets.find((o) => o.topic === topic && o.partition === partition)
      ?.committed ?? null;
    if (!INACTIVE_STATES.has(described.state) || described.members.length > 0) {
      refuse(
        `group ${group} has ${described.members.length} active member(s) (state ${described.state}): ` +
          "Kafka takes an offset commit from an empty group only — stop its consumers first",
      );
    }
  }
  if (plan.offset === null) refuse(`the group has no offset on ${topic}/${partition}`);
  else if (plan.offset >= marks.high) {
    refuse("nothing to skip: the group is at the end of the partition");
  } else if (plan.offset < marks.low) {
    refuse(`offset ${plan.offset} is no longer in the log (it starts at ${marks.low})`);
  }
  if (hasInternalName(topic)) refuse(`${topic} is an internal topic of Kafka`);
  else if (!topics.includes(dlqTopic)) {
    refuse(
      `there is no dead-letter topic ${dlqTopic}: create it first (kafka-topics.txt, or the console)`,
    );
  }
  return plan;
}

async function readRecord(
  ctx: ActionContext,
  topic: string,
  partition: number,
  offset: number,
): Promise<RawRecord | undefined> {
  let found: RawRecord | undefined;
  await readRanges(
    ctx.services.part(consoleWeb).messages.pages(),
    topic,
    [{ partition, from: offset, until: offset + 1 }],
    (c, p) => {
      if (c.offset === offset) found = rawRecord(c, p);
    },
    { partitionMaxBytes: 1024 * 1024, stats: newReadStats() },
  );
  return found;
}

/** The dead letter's headers: the record's own, then Freshet's dead-letter headers. */
export function skipHeaders(
  record: RawRecord,
  origin: { topic: string; group: string; consumer: string; user: string | null },
): Record<string, Buffer | string> {
  const h = CONVENTION_HEADERS.freshet;
  const out: Record<string, Buffer | string> = {};
  for (const [name, value] of record.headers) {
    if (value !== null && !name.startsWith(h.prefix)) out[name] = Buffer.from(value);
  }
  out[h.error] = `skipped from the console${
    origin.user ? ` by ${origin.user}` : ""
  }: the group was stuck on it`;
  out[h.code] = "SKIPPED";
  out[h.topic] = origin.topic;
  out[h.partition] = String(record.partition);
  out[h.offset] = String(record.offset);
  out[h.failedAt] = new Date().toISOString();
  out[h.consumer] = origin.consumer;
  out[h.group] = origin.group;
  return out;
}

/** What a skip did. */
export interface SkipResult {
  group: string;
  topic: string;
  partition: number;
  from: number;
  to: number;
  deadLetter: { topic: string; partition: number; offset: number };
}

/** Copies the record at `offset` to the DLQ and moves `group` past it (operator, audited). */
export async function skipAction(
  ctx: ActionContext,
  group: string,
  input: { topic: string; partition: number; offset: number },
): Promise<SkipResult> {
  const { topic, partition, offset } = input;
  return await audited(ctx, {
    action: "group.skip",
    target: `group:${group}`,
    params: { topic, partition, offset },
    what: `skipping ${topic}/${partition}:${offset} for ${group}`,
  }, async () => {
    const plan = await planSkip(ctx, group, topic, partition);
    if (plan.offset !== offset) {
      throw new HttpError(
        409,
        `the group's offset on ${topic}/${partition} is now ${
          plan.offset ?? "none"
        }, not ${offset}: ` +
          "preview again",
      );
    }
    if (plan.refusal) throw new HttpError(409, plan.refusal);
    const record = await readRecord(ctx, topic, partition, offset);
    if (!record) throw new HttpError(409, `no record at offset ${offset} (a transaction marker?)`);
    let deadLetter: SkipResult["deadLetter"] | undefined;
    const copy = async () => {
      const producer = await ctx.services.part(consoleWeb).kafka.producer();
      const [sent] = await producer.send({
        topic: plan.dlqTopic,
        acks: -1,
        messages: [{
          key: record.key === null ? null : Buffer.from(record.key),
          value: record.value === null ? null : Buffer.from(record.value),
          headers: skipHeaders(record, {
            topic,
            group,
            consumer: plan.consumer ?? "console",
            user: ctx.state.user?.name ?? null,
          }),
        }],
      });
      deadLetter = {
        topic: plan.dlqTopic,
        partition: sent.partition,
        offset: Number(sent.baseOffset),
      };
    };
    if (plan.kind === "freshet") {
      // The consumer's lock is held from before the copy to after the move.
      const folder = consumerDataDir(ctx.services.dataDir, plan.consumer!);
      try {
        await skipStoredRecord({
          folder,
          database: `${folder}/${plan.consumer}.db`,
          topic,
          partition,
          offset,
        }, { label: "a skip from the console", before: copy });
      } catch (error) {
        if (!(error instanceof SkipRefusedError)) throw error;
        throw new HttpError(
          409,
          error.message +
            (deadLetter
              ? ` (a copy is on ${deadLetter.topic} at ${deadLetter.partition}:${deadLetter.offset})`
              : ""),
        );
      }
    } else {
      await copy();
      await commitOffsets(await ctx.services.part(consoleWeb).kafka.cluster(), group, [{
        topic,
        partition,
        from: offset,
        to: offset + 1,
        start: 0,
        end: plan.end,
      }]);
    }
    return { group, topic, partition, from: offset, to: offset + 1, deadLetter: deadLetter! };
  });
}

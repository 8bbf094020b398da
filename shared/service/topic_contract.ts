/**
 * A topic's event contract: key, value schema (the zod schema consumers
 * validate with), headers and notes. Each service declares the topics it
 * owns in its module (`topics`); docs/contracts.md is generated from them,
 * kafka-topics.txt and kafka-acls.txt by `deno task contracts`;
 * tasks/contracts_test.ts fails when they disagree.
 */
import type { z } from "zod";
import { DLQ_HEADERS } from "../consumer/dead_letter.ts";

/** The contract of one topic. */
export interface TopicContract {
  topic: string;
  key: string;
  /** The value's schema, or a description when the value is not JSON we validate. */
  value: z.ZodType | string;
  /** Headers beyond the CloudEvents ones every Freshet producer adds. */
  headers?: string;
  notes?: string;
  /** Whether its consumers dead-letter into `<topic>.dlq` (whose contract is then listed too). */
  deadLetters?: boolean;
  /**
   * A valid record, the n-th of a series, each marked `contract-<n>` (in its
   * key or id): what the consumer contract test (tests/consumer_contract_test.ts)
   * sends to every consumer of the topic. Required of a topic a consumer reads.
   */
  example?: (n: number) => { key: string; value: unknown };
}

const CLOUD_EVENTS =
  "CloudEvents binary mode (`ce_specversion`, `ce_id`, `ce_type`, `ce_source`, `ce_time`, " +
  "`content-type`) on what Freshet produces; optional on input (kcat, the REST Proxy send bare JSON).";

/** The contract of `<topic>.dlq`, where `topic`'s consumers put what they cannot take. */
export const deadLetterContract = (topic: string): TopicContract => ({
  topic: `${topic}.dlq`,
  key: `the original record's key`,
  value: `the original record's value, byte for byte`,
  headers: `the original headers (\`ce_*\` renamed \`original_ce_*\`) plus ${
    Object.values(DLQ_HEADERS).map((h) => `\`${h}\``).join(", ")
  }`,
  notes:
    `Messages of \`${topic}\` that failed validation or kept failing; never consumed automatically.`,
});

/** Note on headers common to every topic. */
export const COMMON_HEADERS = CLOUD_EVENTS;

/**
 * The kernel's admin session: one KafkaJS admin client kept between calls
 * and renewed after stale metadata (renewing_client.ts), with the two
 * policies its users need. An error about one group or topic (e.g. not
 * authorised) is just thrown: the client is fine.
 */
import type { Admin, Kafka } from "kafkajs";
import { isLeaderMoving, isMissingTopic, kafkaErrorType } from "./errors.ts";
import { RenewingClient, type RenewPolicy } from "./renewing_client.ts";

/** Whether `error` means the client itself should start over (its metadata is stale, its connection gone). */
export function needsFreshClient(error: unknown): boolean {
  const e = error as { name?: string; type?: string } | null;
  if (typeof e?.type === "string") {
    return isMissingTopic(e) || isLeaderMoving(e) || e.type === "NOT_CONTROLLER";
  }
  return typeof e?.name === "string" && /^KafkaJS(Connection|RequestTimeout|NumberOfRetries|Lock)/
    .test(e.name);
}

/**
 * For a loop that calls again soon anyway (the monitor's sampler): any sign
 * of a stale client (needsFreshClient) gets a new client and one more call, at once.
 */
export const RENEW_ONCE: RenewPolicy = {
  retryOn: (error, attempt) => attempt === 1 && needsFreshClient(error),
  backoffMs: () => 0,
};

/**
 * For a person waiting on an answer (the console): a deleted topic (the
 * client's stale list) is asked about once more only — it may really be
 * gone, and a 404 should not wait; a leader moving (a topic just created
 * whose leader is not serving yet, an election after a broker loss) is
 * asked again on a new client, six calls over about 3 s. KafkaJS's admin
 * gives up on the first NOT_LEADER answer and keeps its stale metadata,
 * hence the new client.
 */
export const RENEW_WHILE_LEADER_MOVES: RenewPolicy = {
  retryOn: (error, attempt) =>
    (isMissingTopic(error) && attempt === 1) || (isLeaderMoving(error) && attempt < 6),
  backoffMs: (retry) => 100 * 2 ** (retry - 1),
};

/** For a producer: a send refused for a deleted topic appended nothing, so once more, on a new client. */
export const RENEW_ON_MISSING_TOPIC: RenewPolicy = {
  retryOn: (error, attempt) =>
    kafkaErrorType(error) === "UNKNOWN_TOPIC_OR_PARTITION" && attempt === 1,
  backoffMs: () => 0,
};

/** Runs calls on a shared admin client, renewing it as `policy` says (default RENEW_ONCE). */
export class AdminSession extends RenewingClient<Admin> {
  constructor(kafka: Kafka, policy: RenewPolicy = RENEW_ONCE) {
    super(() => kafka.admin(), policy);
  }
}

/** The tour's steps, in order: each concept of seed 002's learning plan. */
import type { TourStep } from "../tour.ts";
import { acksAndIdempotence } from "./acks_and_idempotence.ts";
import { acls } from "./acls.ts";
import { brokerAndTopic } from "./broker_and_topic.ts";
import { compaction } from "./compaction.ts";
import { consumerGroups } from "./consumer_groups.ts";
import { consumerOffsets } from "./consumer_offsets.ts";
import { eventContract } from "./event_contract.ts";
import { orderingByKey } from "./ordering_by_key.ts";
import { retryAndRedrive } from "./retry_and_redrive.ts";
import { sasl } from "./sasl.ts";

/** Every step, in the order the tour walks them. */
export const TOUR_STEPS: readonly TourStep[] = [
  brokerAndTopic,
  orderingByKey,
  acksAndIdempotence,
  consumerOffsets,
  consumerGroups,
  compaction,
  sasl,
  acls,
  eventContract,
  retryAndRedrive,
];

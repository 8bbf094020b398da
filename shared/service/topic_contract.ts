/**
 * The event contract of every Freshet topic: key, value schema (the zod
 * schema consumers validate with), headers and notes. docs/contracts.md is
 * generated from this, kafka-topics.txt and kafka-acls.txt by
 * `deno task contracts`; tasks/contracts_test.ts fails when they disagree.
 */
import type { z } from "zod";
import { orderCreatedSchema, orderFailedSchema, orderPaidSchema } from "../orders/events.ts";
import { clientEventSchema, productEventSchema } from "../orders/catalog_events.ts";
import { balanceValueSchema } from "../balances/balance.ts";
import { demandAssumedSchema, demandSchema } from "../demands/demand.ts";
import { DLQ_HEADERS } from "../../shared/consumer/dead_letter.ts";

/** The contract of one topic. */
export interface TopicContract {
  topic: string;
  key: string;
  /** The value's schema, or a description when the value is not JSON we validate. */
  value: z.ZodType | string;
  /** Headers beyond the CloudEvents ones every Freshet producer adds. */
  headers?: string;
  notes?: string;
}

const CLOUD_EVENTS =
  "CloudEvents binary mode (`ce_specversion`, `ce_id`, `ce_type`, `ce_source`, `ce_time`, " +
  "`content-type`) on what Freshet produces; optional on input (kcat, the REST Proxy send bare JSON).";

const DEAD_LETTER = (topic: string): TopicContract => ({
  topic: `${topic}.dlq`,
  key: `the original record's key`,
  value: `the original record's value, byte for byte`,
  headers: `the original headers (\`ce_*\` renamed \`original_ce_*\`) plus ${
    Object.values(DLQ_HEADERS).map((h) => `\`${h}\``).join(", ")
  }`,
  notes:
    `Messages of \`${topic}\` that failed validation or kept failing; never consumed automatically.`,
});

/** Every topic's contract. */
export const CONTRACTS: TopicContract[] = [
  {
    topic: "demands.created",
    key: "demand id",
    value: demandSchema,
    notes:
      "Seed 000. Produced by POST /api/demands, the REST-Proxy-compatible API and `produce:demands`.",
  },
  {
    topic: "demands.assumed",
    key: "demand id",
    value: demandAssumedSchema,
    notes:
      "The first event of a demand in the partition log wins: every doctor shows the demand as taken by it.",
  },
  {
    topic: "orders.created",
    key: "orderId",
    value: orderCreatedSchema,
    notes: "Seed 001. Emitted through the orders service's outbox when an order is created; " +
      "the orders service adds `clientName` and the items' product `name` (optional: " +
      "consumers take an `orders.created` without them, clientName then null).",
  },
  {
    topic: "orders.paid",
    key: "orderId",
    value: orderPaidSchema,
    notes: "From payments (approved) or PATCH /api/orders/:id to PAGO.",
  },
  {
    topic: "orders.failed",
    key: "orderId",
    value: orderFailedSchema,
    notes: "From payments (declined, FALHA) or PATCH to CANCELADO / FALHA.",
  },
  {
    topic: "clients",
    key: "client id",
    value: clientEventSchema,
    notes: "Seed 001's clients (POST /v1/clients), owned by the orders service, through its " +
      "outbox. Compacted: the latest value per key is the client. Carries personal data " +
      "(e-mail, phone, CPF): only principals granted READ in kafka-acls.txt see it.",
  },
  {
    topic: "products",
    key: "product id",
    value: productEventSchema,
    notes: "Seed 001's products (POST /v1/products), owned by the orders service, through its " +
      "outbox. Compacted: the latest value per key is the product.",
  },
  {
    topic: "contas",
    key: "account id (the key wins over `cliente_id`); never null on a compacted topic",
    value: balanceValueSchema,
    notes:
      "Seed 003. Compacted: the latest value per key is the balance; a null value (tombstone) deletes it.",
  },
  {
    topic: "primeiro_topico",
    key: "`chave-N`",
    value: "text: `Esta é a mensagem via API número N.`",
    notes: "Seed 004 POC: POST /produce sends 5, GET /consume reads all from earliest.",
  },
  ...[
    "demands.created",
    "demands.assumed",
    "orders.created",
    "orders.paid",
    "orders.failed",
    "contas",
  ]
    .map(DEAD_LETTER),
];

/** Note on headers common to every topic. */
export const COMMON_HEADERS = CLOUD_EVENTS;

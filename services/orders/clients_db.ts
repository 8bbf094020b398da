/**
 * The clients of the orders database. Registering one stores it and its
 * `clients` event (outbox, relayed by the orders consumer) in one
 * transaction. A CPF identifies a client: registering the same client
 * again (a retried request, seed 001's walkthrough run twice) returns the
 * one already there and emits nothing; the same CPF with other details is
 * a conflict.
 */
import { enqueue, outboxTransaction } from "../../shared/outbox/outbox.ts";
import type { DatabaseSync } from "../../shared/sqlite/sqlite.ts";
import { ORDERS_SERVICE } from "./orders_db.ts";
import { topicName } from "../../shared/kafka/names.ts";
import { clientEvent, CLIENTS } from "./catalog_events.ts";
import type { Client, NewClient } from "./client.ts";
import { ORDERS_SOURCE, type TopicOptions } from "./orders_db.ts";

const SELECT = "SELECT id, name, email, phone, cpf, created_at FROM clients";

function toClient(row: Record<string, unknown>): Client {
  return {
    id: String(row.id),
    name: String(row.name),
    email: String(row.email),
    phone: String(row.phone),
    cpf: String(row.cpf),
    createdAt: String(row.created_at),
  };
}

/** One client, or undefined. */
export function getClient(db: DatabaseSync, id: string): Client | undefined {
  const row = db.prepare(`${SELECT} WHERE id = ?`).get(id);
  return row ? toClient(row) : undefined;
}

/** Newest clients first, and how many there are. */
export function listClients(
  db: DatabaseSync,
  page: { limit?: number; offset?: number } = {},
): { clients: Client[]; total: number } {
  const rows = db.prepare(`${SELECT} ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`)
    .all(page.limit ?? 50, page.offset ?? 0);
  const total = Number(db.prepare("SELECT count(*) AS n FROM clients").get()!.n);
  return { clients: rows.map(toClient), total };
}

/** What `registerClient` did. */
export type RegisterClientResult =
  | { outcome: "created" | "existing"; client: Client }
  | { outcome: "conflict"; client: Client };

/** Registers `input` with its `clients` event, unless its CPF is known (see the module doc). */
export function registerClient(
  db: DatabaseSync,
  input: NewClient,
  options: TopicOptions,
): RegisterClientResult {
  return outboxTransaction(db, ORDERS_SERVICE, () => {
    const row = db.prepare(`${SELECT} WHERE cpf = ?`).get(input.cpf);
    if (row) {
      const known = toClient(row);
      const same = known.name === input.name && known.email === input.email &&
        known.phone === input.phone;
      return { outcome: same ? "existing" : "conflict", client: known };
    }
    const client: Client = {
      id: crypto.randomUUID(),
      ...input,
      createdAt: new Date().toISOString(),
    };
    db.prepare(
      "INSERT INTO clients (id, name, email, phone, cpf, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    ).run(client.id, client.name, client.email, client.phone, client.cpf, client.createdAt);
    enqueue(db, {
      topic: topicName({ FRESHET_TOPIC_PREFIX: options.topicPrefix }, CLIENTS),
      key: client.id,
      value: clientEvent(client),
      type: CLIENTS,
      source: ORDERS_SOURCE,
    });
    return { outcome: "created", client };
  });
}

/**
 * A KafkaJS admin client kept between calls and replaced after a failure
 * of the client itself. KafkaJS remembers every topic it was asked about
 * and asks the broker for all of them at each metadata refresh: once one is
 * deleted, every later call fails. Starting over with a fresh client (and
 * trying the call once more) keeps a deleted topic from turning into an
 * error loop. An error about one group or topic (e.g. not authorised) is
 * just thrown: the client is fine.
 */
import type { Admin, Kafka } from "kafkajs";
import { isLeaderMoving, isMissingTopic } from "../../shared/kafka/errors.ts";

/** Whether `error` means the client itself should start over (its metadata is stale). */
export function needsFreshClient(error: unknown): boolean {
  const e = error as { name?: string; type?: string } | null;
  if (typeof e?.type === "string") {
    return isMissingTopic(e) || isLeaderMoving(e) || e.type === "NOT_CONTROLLER";
  }
  return typeof e?.name === "string" && /^KafkaJS(Connection|RequestTimeout|NumberOfRetries|Lock)/
    .test(e.name);
}

/** Runs calls on a shared admin client, reconnecting after a client failure. */
export class AdminSession {
  #kafka: Kafka;
  #admin?: Promise<Admin>;

  constructor(kafka: Kafka) {
    this.#kafka = kafka;
  }

  /** Runs `fn`; after a client failure, reconnects and runs it once more. */
  async run<T>(fn: (admin: Admin) => Promise<T>): Promise<T> {
    const admin = this.#connected();
    try {
      return await fn(await admin);
    } catch (error) {
      if (!needsFreshClient(error)) throw error;
      await this.#drop(admin);
    }
    const fresh = this.#connected();
    try {
      return await fn(await fresh);
    } catch (error) {
      if (needsFreshClient(error)) await this.#drop(fresh);
      throw error;
    }
  }

  /** Disconnects (the next call connects again). */
  async close(): Promise<void> {
    if (this.#admin) await this.#drop(this.#admin);
  }

  /** Forgets `admin` if it is still the current client, and disconnects it. */
  async #drop(admin: Promise<Admin>): Promise<void> {
    if (this.#admin === admin) this.#admin = undefined;
    await admin.then((a) => a.disconnect()).catch(() => {});
  }

  #connected(): Promise<Admin> {
    this.#admin ??= (async () => {
      const admin = this.#kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error) => {
      this.#admin = undefined;
      throw error;
    });
    return this.#admin;
  }
}

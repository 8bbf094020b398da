/**
 * The console's reading service (`ctx.services.part(consoleWeb).messages`): one shared
 * `LogClient` for pages, and a client of its own for each filtered search,
 * each live tail and each operator action that scans (a redrive). Those
 * are streams, shared fairly (stream_limits.ts): a total, a share per user,
 * and slots only operators may take, so viewers' tails never starve an
 * operator's redrive or search. A refusal is a 429 naming who holds what
 * (stream_slots.ts).
 */
import type { Kafka } from "kafkajs";
import { HttpError } from "../../../shared/web/http_error.ts";
import { LogClient } from "../../../shared/kafka/wire/log_client.ts";
import type { User } from "../../../shared/web/auth/users.ts";
import { checkStreamLimits, DEFAULT_STREAM_LIMITS, type StreamLimits } from "./stream_limits.ts";
import { type ActiveStream, slotRefusal, type StreamKind } from "./stream_slots.ts";

export type { ActiveStream, StreamKind } from "./stream_slots.ts";

/** Options of `MessageReader`. */
export interface MessageReaderOptions {
  /** Stream limits (default: DEFAULT_STREAM_LIMITS). */
  limits?: Partial<StreamLimits>;
  /** Clock (tests). */
  now?: () => number;
}

/** A stream's own client; `close()` ends its registration and its connections. */
export interface OwnClient {
  client: LogClient;
  close(): Promise<void>;
}

/** Reads topics for the console's pages, searches and tails. */
export class MessageReader {
  readonly kafka: Kafka;
  readonly limits: StreamLimits;
  #now: () => number;
  #pages: LogClient | undefined;
  #active = new Map<number, ActiveStream>();
  #nextId = 1;
  #closed = false;

  constructor(kafka: Kafka, options: MessageReaderOptions = {}) {
    this.kafka = kafka;
    this.limits = { ...DEFAULT_STREAM_LIMITS, ...options.limits };
    checkStreamLimits(this.limits);
    this.#now = options.now ?? Date.now;
  }

  /** The client shared by page reads. */
  pages(): LogClient {
    if (this.#closed) throw new HttpError(503, "the server is shutting down");
    this.#pages ??= new LogClient(this.kafka);
    return this.#pages;
  }

  /**
   * A client of its own for a stream of `user`, registered until
   * `close()`; a 429 naming the holders when its share is used up.
   */
  open(kind: StreamKind, topic: string, user: User | undefined): OwnClient {
    if (this.#closed) throw new HttpError(503, "the server is shutting down");
    const holder = { user: user?.name ?? "anonymous", role: user?.role ?? "none" } as const;
    const refusal = slotRefusal(
      this.limits,
      [...this.#active.values()],
      { kind, ...holder },
      this.#now(),
    );
    if (refusal) throw refusal;
    const id = this.#nextId++;
    this.#active.set(id, { id, kind, topic, ...holder, startedAt: this.#now() });
    const client = new LogClient(this.kafka);
    let closed: Promise<void> | undefined;
    return {
      client,
      close: () => {
        closed ??= (async () => {
          this.#active.delete(id);
          await client.close();
        })();
        return closed;
      },
    };
  }

  /** The streams running now. */
  active(): ActiveStream[] {
    return [...this.#active.values()];
  }

  /** Closes the page client (streams close their own when they end). */
  async close(): Promise<void> {
    this.#closed = true;
    const pages = this.#pages;
    this.#pages = undefined;
    await pages?.close();
  }
}

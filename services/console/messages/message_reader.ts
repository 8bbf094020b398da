/**
 * The console's reading service (`ctx.services.messages`): one shared
 * `LogClient` for pages, and a client of their own for each filtered search
 * and each live tail, at most `maxStreams` at once (searches are bounded
 * but still read hard; a machine serving pages must not run dozens).
 */
import type { Kafka } from "kafkajs";
import { HttpError } from "../../../shared/web/http_error.ts";
import { LogClient } from "../../../shared/kafka/wire/log_client.ts";

/** Options of `MessageReader`. */
export interface MessageReaderOptions {
  /** Searches and tails running at once (default 4). */
  maxStreams?: number;
}

/** A search or tail in progress, for the registry. */
export interface ActiveStream {
  id: number;
  kind: "search" | "tail";
  topic: string;
  startedAt: number;
}

/** A stream's own client; `close()` ends its registration and its connections. */
export interface OwnClient {
  client: LogClient;
  close(): Promise<void>;
}

/** Reads topics for the console's pages, searches and tails. */
export class MessageReader {
  readonly kafka: Kafka;
  readonly maxStreams: number;
  #pages: LogClient | undefined;
  #active = new Map<number, ActiveStream>();
  #nextId = 1;
  #closed = false;

  constructor(kafka: Kafka, options: MessageReaderOptions = {}) {
    this.kafka = kafka;
    this.maxStreams = options.maxStreams ?? 4;
  }

  /** The client shared by page reads. */
  pages(): LogClient {
    if (this.#closed) throw new HttpError(503, "the server is shutting down");
    this.#pages ??= new LogClient(this.kafka);
    return this.#pages;
  }

  /**
   * A client of its own for a search or a tail, registered as an active
   * stream until `close()`; refused with 429 when `maxStreams` are running.
   */
  open(kind: ActiveStream["kind"], topic: string): OwnClient {
    if (this.#closed) throw new HttpError(503, "the server is shutting down");
    if (this.#active.size >= this.maxStreams) {
      throw new HttpError(
        429,
        `${this.#active.size} searches or live tails are running; try again when one ends`,
        { headers: { "Retry-After": "5" } },
      );
    }
    const id = this.#nextId++;
    this.#active.set(id, { id, kind, topic, startedAt: Date.now() });
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

  /** The searches and tails running now. */
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

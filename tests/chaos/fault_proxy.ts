/**
 * A small TCP fault proxy (the toxiproxy idea, written small): it listens
 * on one address and forwards every connection to a target (a broker),
 * and on command it:
 *
 * - `cut()`: closes every open connection (new ones are accepted);
 * - `reset()`: the same, at once, dropping what is buffered either way;
 * - `refuse(true)`: closes new connections as soon as they are accepted;
 * - `delay(ms)`: holds every chunk `ms` before forwarding it;
 * - `slow(bytesPerSecond)`: forwards at that rate;
 * - `blackhole(true)`: keeps connections open but forwards nothing;
 * - `loseAnswers(apiKey, count)`: drops the broker's answer to the next
 *   `count` requests with that Kafka API key (e.g. 26, EndTxn) and closes
 *   the connection, as a network failure after the broker acted would;
 * - `holdRequests(apiKey, ms, count)`: holds the next `count` requests with
 *   that API key (e.g. 0, Produce) for `ms` before they reach the broker,
 *   even if the client gave up and closed meanwhile (what it wrote is
 *   still delivered, as TCP would).
 *
 * Kafka clients reach a broker through it only if the broker advertises the
 * proxy's address (the campaign's cluster does: kafka/broker_config.ts
 * `advertisedHost`). `heal()` ends every fault.
 */

/** Where the proxy listens and where it forwards. */
export interface FaultProxyOptions {
  listen: { hostname: string; port: number };
  target: { hostname: string; port: number };
}

interface Pipe {
  client: Deno.Conn;
  server: Deno.Conn;
  /** Both sides closed. */
  closed: boolean;
  /** Closed by a fault: held and delayed data is dropped. */
  cut: boolean;
  close(): void;
}

/** One proxy in front of one broker. */
export class FaultProxy {
  readonly options: FaultProxyOptions;
  #listener?: Deno.Listener;
  #pipes = new Set<Pipe>();
  #delayMs = 0;
  #bytesPerSecond = 0;
  #blackhole = false;
  #refuse = false;
  #lose = new Map<number, number>();
  #hold = new Map<number, { ms: number; count: number }>();
  /** Requests seen per Kafka API key (counted even while blackholed). */
  readonly requests = new Map<number, number>();
  /** Answers dropped so far by `loseAnswers`. */
  lost = 0;
  /** Connections accepted so far. */
  accepted = 0;

  constructor(options: FaultProxyOptions) {
    this.options = options;
  }

  /** `host:port` clients connect to. */
  get address(): string {
    return `${this.options.listen.hostname}:${this.options.listen.port}`;
  }

  /** Starts listening (port 0: a free one, then in `address`). */
  start(): void {
    this.#listener = Deno.listen(this.options.listen);
    this.options.listen.port = (this.#listener.addr as Deno.NetAddr).port;
    (async () => {
      for await (const client of this.#listener!) {
        this.accepted++;
        if (this.#refuse) {
          closeQuietly(client);
          continue;
        }
        void this.#connect(client);
      }
    })().catch(() => {});
  }

  /** Stops listening and closes every connection. */
  close(): void {
    try {
      this.#listener?.close();
    } catch { /* closed */ }
    this.cut();
  }

  /** Closes every open connection. */
  cut(): void {
    for (const pipe of this.#pipes) {
      pipe.cut = true;
      pipe.close();
    }
  }

  /** Closes every open connection at once, dropping buffered data. */
  reset(): void {
    this.cut();
  }

  /** Refuses (closes at once) new connections while `on`. */
  refuse(on: boolean): void {
    this.#refuse = on;
  }

  /** Holds each chunk `ms` before forwarding it (0: none). */
  delay(ms: number): void {
    this.#delayMs = ms;
  }

  /** Forwards at `bytesPerSecond` (0: no limit). */
  slow(bytesPerSecond: number): void {
    this.#bytesPerSecond = bytesPerSecond;
  }

  /** Forwards nothing, either way, while `on` (connections stay open). */
  blackhole(on: boolean): void {
    this.#blackhole = on;
  }

  /** Drops the answers to the next `count` requests with Kafka API key `apiKey`. */
  loseAnswers(apiKey: number, count = 1): void {
    this.#lose.set(apiKey, (this.#lose.get(apiKey) ?? 0) + count);
  }

  /** Holds the next `count` requests with Kafka API key `apiKey` for `ms` on their way in. */
  holdRequests(apiKey: number, ms: number, count = 1): void {
    this.#hold.set(apiKey, { ms, count });
  }

  /** Ends every fault (connections cut before stay closed). */
  heal(): void {
    this.#delayMs = 0;
    this.#bytesPerSecond = 0;
    this.#blackhole = false;
    this.#refuse = false;
    this.#lose.clear();
    this.#hold.clear();
  }

  async #connect(client: Deno.Conn): Promise<void> {
    let server: Deno.Conn;
    try {
      server = await Deno.connect(this.options.target);
    } catch {
      closeQuietly(client);
      return;
    }
    const pipe: Pipe = {
      client,
      server,
      closed: false,
      cut: false,
      close: () => {
        if (pipe.closed) return;
        pipe.closed = true;
        closeQuietly(client);
        closeQuietly(server);
        this.#pipes.delete(pipe);
      },
    };
    this.#pipes.add(pipe);
    // Requests' API keys by correlation id, to recognise their answers.
    const asked = new Map<number, number>();
    const apiKeyOf = (frame: Uint8Array) =>
      frame.length >= 8
        ? new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getInt16(0)
        : -1;
    const up = new Framer((frame) => {
      // A request: api key (int16), api version (int16), correlation id (int32), ...
      if (frame.length >= 8) {
        const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
        asked.set(view.getInt32(4), view.getInt16(0));
        this.requests.set(view.getInt16(0), (this.requests.get(view.getInt16(0)) ?? 0) + 1);
      }
      return true;
    });
    const down = new Framer((frame) => {
      // An answer: correlation id (int32), ...
      if (frame.length < 4) return true;
      const correlationId = new DataView(frame.buffer, frame.byteOffset, frame.byteLength)
        .getInt32(0);
      const apiKey = asked.get(correlationId);
      asked.delete(correlationId);
      const left = apiKey === undefined ? 0 : this.#lose.get(apiKey) ?? 0;
      if (left <= 0) return true;
      this.#lose.set(apiKey!, left - 1);
      this.lost++;
      setTimeout(() => {
        pipe.cut = true;
        pipe.close();
      }, 0);
      return false;
    });
    const holdFor = (frame: Uint8Array): number => {
      const rule = this.#hold.get(apiKeyOf(frame));
      if (!rule || rule.count <= 0) return 0;
      rule.count--;
      return rule.ms;
    };
    await Promise.all([
      this.#pump(pipe, client, server, up, holdFor),
      this.#pump(pipe, server, client, down, () => 0),
    ]);
    pipe.close();
  }

  /**
   * Copies `from` to `to` frame by frame, with the faults in force. When
   * `from` ends, what was read is still written (held frames included),
   * then `to` is half-closed; a cut closes both at once.
   */
  async #pump(
    pipe: Pipe,
    from: Deno.Conn,
    to: Deno.Conn,
    framer: Framer,
    holdFor: (frame: Uint8Array) => number,
  ): Promise<void> {
    const buffer = new Uint8Array(64 * 1024);
    let ended = false;
    try {
      while (!pipe.closed) {
        const n = await from.read(buffer).catch(() => null);
        if (n === null) {
          ended = true;
          break;
        }
        const frames = framer.frames(buffer.subarray(0, n));
        if (this.#blackhole) continue;
        if (this.#delayMs > 0) await new Promise((r) => setTimeout(r, this.#delayMs));
        if (this.#bytesPerSecond > 0) {
          await new Promise((r) => setTimeout(r, (n / this.#bytesPerSecond) * 1_000));
        }
        for (const frame of frames) {
          const hold = holdFor(frame.subarray(4));
          if (hold > 0) await new Promise((r) => setTimeout(r, hold));
          if (pipe.cut) return;
          let written = 0;
          while (written < frame.length) written += await to.write(frame.subarray(written));
        }
      }
    } catch {
      // the other side closed
    }
    if (ended && !pipe.cut) {
      try {
        (to as Deno.TcpConn).closeWrite();
      } catch {
        pipe.close();
      }
      return;
    }
    pipe.close();
  }
}

/**
 * Splits a Kafka byte stream into frames (int32 size, then the frame) and
 * keeps the bytes of the frames `keep` accepts.
 */
class Framer {
  #chunks: Uint8Array[] = [];
  #length = 0;
  #keep: (frame: Uint8Array) => boolean;

  constructor(keep: (frame: Uint8Array) => boolean) {
    this.#keep = keep;
  }

  /** The whole frames `chunk` completes that `keep` accepts (partial ones held back). */
  frames(chunk: Uint8Array): Uint8Array[] {
    this.#chunks.push(chunk.slice());
    this.#length += chunk.length;
    const out: Uint8Array[] = [];
    for (;;) {
      if (this.#length < 4) break;
      const size = new DataView(this.#peek(4).buffer).getInt32(0);
      if (this.#length < 4 + size) break;
      const frame = this.#take(4 + size);
      if (this.#keep(frame.subarray(4))) out.push(frame);
    }
    return out;
  }

  /** The first `n` buffered bytes (copied). */
  #peek(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let at = 0;
    for (const c of this.#chunks) {
      const part = c.subarray(0, Math.min(c.length, n - at));
      out.set(part, at);
      at += part.length;
      if (at === n) break;
    }
    return out;
  }

  /** Removes and returns the first `n` buffered bytes. */
  #take(n: number): Uint8Array {
    if (this.#chunks[0].length === n) {
      this.#length -= n;
      return this.#chunks.shift()!;
    }
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const c = this.#chunks[0];
      const want = Math.min(c.length, n - at);
      out.set(c.subarray(0, want), at);
      at += want;
      if (want === c.length) this.#chunks.shift();
      else this.#chunks[0] = c.subarray(want);
    }
    this.#length -= n;
    return out;
  }
}

function closeQuietly(conn: Deno.Conn): void {
  try {
    conn.close();
  } catch { /* closed */ }
}

/**
 * A TCP relay between a KafkaJS client and the real broker that breaks
 * the gzip batches of Fetch responses on their way to the client: what a
 * broker of a future Kafka (a codec id this one does not know) or a
 * damaged batch looks like to a consumer. Everything else passes
 * unchanged; the client reaches it through its socket factory, whatever
 * broker address the cluster advertises.
 */
import net from "node:net";
import type { ISocketFactory } from "kafkajs";
import { decodeFetchResponse } from "../shared/kafka/wire/fetch_request.ts";

/** How a gzip batch is broken: its codec bits set to 5, or its compressed bytes overwritten. */
export type Breakage = "unknown-codec" | "corrupt-bytes";

const FETCH = 1;

/** Breaks each gzip batch of `records` (a partition's record set) in place; returns how many. */
function breakBatches(records: Uint8Array, how: Breakage): number {
  const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
  let broken = 0;
  for (let at = 0; at + 61 <= records.byteLength;) {
    const end = at + 12 + view.getInt32(at + 8);
    if (end > records.byteLength) break;
    const attributes = view.getInt16(at + 21);
    if ((attributes & 0x07) === 1) {
      if (how === "unknown-codec") view.setInt16(at + 21, (attributes & ~0x07) | 5);
      else records.fill(0x5a, at + 61 + 12, end);
      broken++;
    }
    at = end;
  }
  return broken;
}

/** Splits a stream into Kafka frames (4-byte size, then the frame). */
class Frames {
  #buffer = new Uint8Array(0);
  push(chunk: Uint8Array): Uint8Array[] {
    const joined = new Uint8Array(this.#buffer.byteLength + chunk.byteLength);
    joined.set(this.#buffer);
    joined.set(chunk, this.#buffer.byteLength);
    const frames: Uint8Array[] = [];
    let at = 0;
    while (at + 4 <= joined.byteLength) {
      const size = new DataView(joined.buffer, at, 4).getInt32(0);
      if (at + 4 + size > joined.byteLength) break;
      frames.push(joined.slice(at, at + 4 + size));
      at += 4 + size;
    }
    this.#buffer = joined.slice(at);
    return frames;
  }
}

/** The relay: `socketFactory` for the client, `broken` batches so far, `close()`. */
export interface BatchBreakingProxy {
  socketFactory: ISocketFactory;
  readonly broken: number;
  close(): Promise<void>;
}

/** Starts a relay to `broker` (host:port) breaking gzip batches as `how` says. */
export async function batchBreakingProxy(
  broker: string,
  how: Breakage,
): Promise<BatchBreakingProxy> {
  const [brokerHost, brokerPort] = [broker.replace(/:\d+$/, ""), Number(broker.split(":").pop())];
  const sockets = new Set<net.Socket>();
  let broken = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect({ host: brokerHost, port: brokerPort });
    sockets.add(client).add(upstream);
    const apiKeys = new Map<number, number>();
    const requests = new Frames();
    const responses = new Frames();
    client.on("data", (chunk: Uint8Array) => {
      for (const frame of requests.push(chunk)) {
        const view = new DataView(frame.buffer, frame.byteOffset);
        apiKeys.set(view.getInt32(8), view.getInt16(4));
        upstream.write(frame);
      }
    });
    upstream.on("data", (chunk: Uint8Array) => {
      for (const frame of responses.push(chunk)) {
        const correlationId = new DataView(frame.buffer, frame.byteOffset).getInt32(4);
        if (apiKeys.get(correlationId) === FETCH) {
          for (const partition of decodeFetchResponse(frame.subarray(8)).partitions) {
            broken += breakBatches(partition.records, how);
          }
        }
        apiKeys.delete(correlationId);
        client.write(frame);
      }
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    socketFactory: ({ onConnect }) => net.connect({ host: "127.0.0.1", port }, onConnect),
    get broken() {
      return broken;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The SCRAM users the broker knows (DescribeUserScramCredentials, Kafka API
 * 50, version 0; KafkaJS has no call for it), with each user's mechanisms
 * and iteration counts — never the credentials themselves. Needs DESCRIBE
 * on the cluster. The request is sent on a connection of KafkaJS's own
 * cluster (kafka_cluster.ts), which has logged in already.
 */
import { Buffer } from "node:buffer";
import type { KafkaCluster } from "../../../shared/kafka/wire/kafka_cluster.ts";

/** One SCRAM user. */
export interface ScramUser {
  name: string;
  credentials: { mechanism: string; iterations: number }[];
  /** The broker's error for this user, if any. */
  error?: string;
}

const API_KEY = 50;
const MECHANISMS: Record<number, string> = { 1: "SCRAM-SHA-256", 2: "SCRAM-SHA-512" };

/** A minimal reader of Kafka's flexible-version encoding. */
class Reader {
  #view: DataView;
  #bytes: Uint8Array;
  #at = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  int8(): number {
    return this.#view.getInt8(this.#at++);
  }

  int16(): number {
    const v = this.#view.getInt16(this.#at);
    this.#at += 2;
    return v;
  }

  int32(): number {
    const v = this.#view.getInt32(this.#at);
    this.#at += 4;
    return v;
  }

  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.#bytes[this.#at++];
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value >>> 0;
    }
    throw new Error("malformed varint in the broker's answer");
  }

  compactString(): string | null {
    const length = this.uvarint();
    if (length === 0) return null;
    const text = new TextDecoder().decode(this.#bytes.subarray(this.#at, this.#at + length - 1));
    this.#at += length - 1;
    return text;
  }

  compactArray<T>(item: () => T): T[] {
    const length = this.uvarint();
    return Array.from({ length: Math.max(0, length - 1) }, item);
  }

  skipTags(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint();
      this.#at += this.uvarint();
    }
  }
}

interface Answer {
  errorCode: number;
  errorMessage: string | null;
  users: ScramUser[];
}

/** Decodes a DescribeUserScramCredentials v0 answer (response header v1 included). */
export function decodeScramAnswer(bytes: Uint8Array): Answer {
  const r = new Reader(bytes);
  r.skipTags(); // response header v1
  r.int32(); // throttle_time_ms
  const errorCode = r.int16();
  const errorMessage = r.compactString();
  const users = r.compactArray(() => {
    const name = r.compactString() ?? "";
    const code = r.int16();
    const message = r.compactString();
    const credentials = r.compactArray(() => {
      const mechanism = r.int8();
      const iterations = r.int32();
      r.skipTags();
      return { mechanism: MECHANISMS[mechanism] ?? `mechanism ${mechanism}`, iterations };
    });
    r.skipTags();
    return code === 0 ? { name, credentials } : {
      name,
      credentials,
      error: `error ${code}${message ? `: ${message}` : ""}`,
    };
  });
  r.skipTags();
  return { errorCode, errorMessage, users };
}

/** Every SCRAM user of the cluster, by name. */
export async function describeScramUsers(cluster: KafkaCluster): Promise<ScramUser[]> {
  await cluster.refreshMetadata();
  const broker = await cluster.findControllerBroker();
  // Request header v2's tags (the header KafkaJS writes lacks them), users = null (all), tags.
  const body = Buffer.from([0, 0, 0]);
  const answer = await broker.connectionPool.send<Answer>({
    request: {
      apiKey: API_KEY,
      apiVersion: 0,
      apiName: "DescribeUserScramCredentials",
      encode: () => Promise.resolve({ buf: body, buffer: body }),
    },
    response: {
      decode: (data) => Promise.resolve(decodeScramAnswer(new Uint8Array(data))),
      parse: (data) => Promise.resolve(data),
    },
  });
  if (answer.errorCode === 58 /* RESOURCE_NOT_FOUND: no user at all */) return [];
  if (answer.errorCode !== 0) {
    throw new Error(
      `the broker refused to describe SCRAM users (error ${answer.errorCode}` +
        `${answer.errorMessage ? `: ${answer.errorMessage}` : ""})`,
    );
  }
  return answer.users.sort((a, b) => a.name.localeCompare(b.name));
}

/** KafkaJS's internal record encoder (v0), as kafkajs_encoder_test.ts calls it. */
import type Encoder from "./kafkajs_encoder.d.ts";

export default function Record(record: {
  offsetDelta?: number;
  timestampDelta?: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers?: Record<string, string | string[]>;
}): Encoder;

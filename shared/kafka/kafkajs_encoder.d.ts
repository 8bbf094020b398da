/** The part of KafkaJS's internal protocol encoder that kafkajs_encoder.ts patches. */
export default class Encoder {
  constructor(initialSize?: number);
  buf: Uint8Array;
  offset: number;
  get buffer(): Uint8Array;
  ensureAvailable(length: number): void;
  writeUVarInt(value: number): Encoder;
  writeVarInt(value: number): Encoder;
  writeVarLong(value: number | bigint | string | { value: bigint }): Encoder;
  static encodeZigZag64(value: unknown): { value: bigint };
  static nextPowerOfTwo(value: number): number;
}

/** KafkaJS's CRC-32C of a record batch's body (src/protocol/recordBatch/crc32C/index.js). */
export default function crc32C(buffer: Uint8Array): number;

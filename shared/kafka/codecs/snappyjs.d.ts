/** npm:snappyjs (plain JavaScript Snappy), raw blocks. */
declare const snappy: {
  compress(uncompressed: Uint8Array): Uint8Array;
  /** Throws when the block is corrupt or says it holds more than `maxLength` bytes. */
  uncompress(compressed: Uint8Array, maxLength?: number): Uint8Array;
};
export default snappy;

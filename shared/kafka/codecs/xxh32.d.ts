/** npm:lz4js's xxHash32. */
declare const xxh32: {
  /** The xxHash32 of `src[index, index + length)` with `seed`, unsigned. */
  hash(seed: number, src: Uint8Array, index: number, length: number): number;
};
export default xxh32;

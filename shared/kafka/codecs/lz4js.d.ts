/** The parts of npm:lz4js (plain JavaScript LZ4) used by lz4_frame.ts. */
declare const lz4: {
  /** Decodes one LZ4 block of `src[sIndex, sIndex + sLength)` into `dst` at `dIndex`; returns the end in `dst`. */
  decompressBlock(
    src: Uint8Array,
    dst: Uint8Array,
    sIndex: number,
    sLength: number,
    dIndex: number,
  ): number;
  /** Encodes `src[sIndex, sIndex + sLength)` as one LZ4 block into `dst`; returns its size (0: incompressible). */
  compressBlock(
    src: Uint8Array,
    dst: Uint8Array,
    sIndex: number,
    sLength: number,
    hashTable: Uint32Array,
  ): number;
};
export default lz4;

/** Big-endian bytes of the fixed-width values a Kafka message holds, for the wire tests' hand-made answers. */
import { FlexibleWriter } from "./flexible_codec.ts";

export const int16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
export const int32 = (
  n: number,
) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
export const int64 = (n: number) => {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigInt64(0, BigInt(n));
  return [...new Uint8Array(view.buffer)];
};
/** A compact (flexible-version) string. */
export const compactString = (s: string) => [...new FlexibleWriter().string(s).bytes()];

/**
 * How long a group needs to clear its lag at the current rates: over a
 * recent span, the group consumed `consumed` messages and producers added
 * `produced`; the lag shrinks by the difference.
 */

/** Offsets of a group (summed over its partitions) at two moments. */
export interface ProgressSpan {
  /** Milliseconds since the epoch of the first and last sample. */
  fromT: number;
  toT: number;
  /** Sum of committed offsets at each moment. */
  fromCommitted: number;
  toCommitted: number;
  /** Sum of end offsets at each moment. */
  fromEnd: number;
  toEnd: number;
}

/** The estimate: rates in messages per second and the time to clear. */
export interface ClearEstimate {
  consumedPerSec: number;
  producedPerSec: number;
  /** Milliseconds to clear the lag; 0 with no lag; null when it is not shrinking. */
  clearMs: number | null;
}

/** Estimates the time to clear `lag` from the rates over `span`. */
export function clearEstimate(lag: number, span: ProgressSpan): ClearEstimate {
  const seconds = (span.toT - span.fromT) / 1_000;
  const consumedPerSec = seconds > 0
    ? Math.max(0, span.toCommitted - span.fromCommitted) / seconds
    : 0;
  const producedPerSec = seconds > 0 ? Math.max(0, span.toEnd - span.fromEnd) / seconds : 0;
  if (lag <= 0) return { consumedPerSec, producedPerSec, clearMs: 0 };
  const net = consumedPerSec - producedPerSec;
  return {
    consumedPerSec,
    producedPerSec,
    clearMs: net > 0 ? Math.round((lag / net) * 1_000) : null,
  };
}

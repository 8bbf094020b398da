/**
 * A stored offset the log no longer has. A view stores the next offset of
 * each partition; if the partition's log now ends before it, the topic was
 * deleted and created again, or truncated, under the consumer. Resuming
 * would wait for offsets that only come back with other messages, and
 * reading from the start would apply a new log as if it were the old one:
 * either way messages are skipped silently. The runner stops instead.
 */

/** The partition's log ends before the stored offset. */
export class LogTruncatedError extends Error {
  readonly code = "LOG_TRUNCATED";
  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly stored: number,
    readonly logEnd: number,
    folder: string,
  ) {
    super(
      `${topic}/${partition}: the stored offset ${stored} is beyond the log's end ${logEnd} ` +
        "(the topic was recreated or truncated under this consumer). Nothing was skipped: it " +
        `stopped. To rebuild its data from the topic as it is now, stop it and remove ${folder}.`,
    );
    this.name = "LogTruncatedError";
  }
}

/** Throws LogTruncatedError when `stored` is beyond `logEnd`. */
export function checkLogEnd(
  where: { topic: string; partition: number; folder: string },
  stored: number | undefined,
  logEnd: number,
): void {
  if (stored !== undefined && stored > logEnd) {
    throw new LogTruncatedError(where.topic, where.partition, stored, logEnd, where.folder);
  }
}

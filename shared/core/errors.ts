/**
 * Errors that carry a `retriable` flag and a string `code`, so the consumer
 * runner decides retry, dead-letter or stop from those and never from the
 * message text.
 */

/** An error raised while handling a message. */
export class FreshetError extends Error {
  readonly code: string;
  readonly retriable: boolean;
  constructor(message: string, options: { code: string; retriable: boolean; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = "FreshetError";
    this.code = options.code;
    this.retriable = options.retriable;
  }
}

/** A message that can never be processed (bad JSON, wrong schema): dead-letter it. */
export class InvalidMessageError extends FreshetError {
  constructor(message: string, code = "INVALID_MESSAGE", cause?: unknown) {
    super(message, { code, retriable: false, cause });
    this.name = "InvalidMessageError";
  }
}

/** A failure that may pass if tried again (broker or disk momentarily unavailable). */
export class TransientError extends FreshetError {
  constructor(message: string, code = "TRANSIENT", cause?: unknown) {
    super(message, { code, retriable: true, cause });
    this.name = "TransientError";
  }
}

/**
 * Whether an error is worth retrying. Errors with an explicit `retriable`
 * flag (ours, KafkaJS's) are taken at their word; SQLite's "busy/locked"
 * are transient; anything else is not retried.
 */
export function isRetriable(error: unknown): boolean {
  if (error && typeof error === "object" && "retriable" in error) {
    return Boolean((error as { retriable: unknown }).retriable);
  }
  const code = (error as { code?: unknown })?.code;
  const errcode = (error as { errcode?: unknown })?.errcode;
  return code === "ERR_SQLITE_ERROR" && (errcode === 5 || errcode === 6);
}

/** A short code for an error, for DLQ headers and metrics. */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string" && code) return code;
  if (error instanceof Error) return error.name;
  return "UNKNOWN";
}

/** The message of any thrown value. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * An expected condition a program cannot go on from (a port already in
 * use, a socket held by another server): `runMain` prints its message as
 * one line, without a stack trace, and exits with `exitCode` (default 1).
 */
export class ProgramError extends Error {
  readonly exitCode: number;
  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "ProgramError";
    this.exitCode = options.exitCode ?? 1;
  }
}

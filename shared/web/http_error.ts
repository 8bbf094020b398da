/**
 * The one error class of the HTTP layer: a handler throws
 * `new HttpError(404, "no such demand")` and the central error handler
 * (error_response.ts) turns it into JSON or HTML.
 */

/** Options of `HttpError`. */
export interface HttpErrorOptions {
  /** Headers to send with the error response, e.g. `Allow` for a 405. */
  headers?: HeadersInit;
  cause?: unknown;
}

/** An error with an HTTP status; its message is shown to the client. */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Headers;

  constructor(status: number, message: string, options: HttpErrorOptions = {}) {
    super(message, { cause: options.cause });
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`HttpError status must be 400-599, got ${status}`);
    }
    this.name = "HttpError";
    this.status = status;
    this.headers = new Headers(options.headers);
  }
}

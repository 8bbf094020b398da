/**
 * Request body size limit: a declared `Content-Length` over the limit is
 * refused before reading; a chunked body is counted while it is read.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import { HttpError } from "./http_error.ts";

/** Default limit: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Options of `bodyLimit`. */
export interface BodyLimitOptions {
  maxBodyBytes?: number;
}

/** Middleware answering 413 to a body larger than `maxBodyBytes`. */
export function bodyLimit(options: BodyLimitOptions = {}): MiddlewareHandler {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return honoBodyLimit({
    maxSize: maxBodyBytes,
    onError: () => {
      throw new HttpError(413, `request body larger than ${maxBodyBytes} bytes`);
    },
  });
}

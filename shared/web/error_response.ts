/**
 * The central error handler: any error thrown by a route or middleware
 * becomes one response here. An `HttpError` keeps its status and message;
 * anything else is a 500 whose details stay in the log. Only 5xx are
 * logged: 4xx are the client's business.
 */
import { createLogger } from "../core/log.ts";
import { HttpError } from "./http_error.ts";

const log = createLogger("web");

/** The kernel's API paths: their errors are JSON whatever the client accepts. */
export const KERNEL_JSON_PATHS: readonly string[] = ["/api/"];

/**
 * A service's own error shape for its paths (the REST proxy's
 * `{error_code, message}`), so its clients read the kernel's errors (413,
 * 405, 403) in the shape they expect.
 */
export interface ErrorShape {
  /** The paths it answers, e.g. `/topics/`. */
  pathPrefix: string;
  /** The response for `error`. */
  respond(error: HttpError): Response;
}

/** How errors are answered: besides HTML pages, the JSON paths and the services' own shapes. */
export interface ErrorAnswers {
  /** Renders an error page (status and a message safe to show). */
  renderHtml: ErrorPageRenderer;
  /** Path prefixes whose errors are JSON (default `KERNEL_JSON_PATHS`). */
  jsonPaths?: readonly string[];
  /** The services' own shapes. */
  shapes?: readonly ErrorShape[];
}

/** Whether the client wants JSON: `jsonPaths` (default the kernel's) and `Accept: application/json`. */
export function wantsJson(req: Request, jsonPaths: readonly string[] = KERNEL_JSON_PATHS): boolean {
  const path = new URL(req.url).pathname;
  if (jsonPaths.some((prefix) => path.startsWith(prefix))) return true;
  const accept = req.headers.get("accept") ?? "";
  return accept.includes("application/json") && !accept.includes("text/html");
}

/** Any thrown value as an `HttpError` (unknown errors become a generic 500). */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const status = (error as { status?: unknown })?.status;
  // Hono's own HTTPException (e.g. from its middleware) carries a status.
  if (
    error instanceof Error && error.name === "HTTPException" && typeof status === "number" &&
    status >= 400 && status < 600
  ) {
    return new HttpError(status, error.message || "Request failed", { cause: error });
  }
  return new HttpError(500, "Internal Server Error", { cause: error });
}

/** Renders an error page; given the status and a message safe to show. */
export type ErrorPageRenderer = (req: Request, error: HttpError) => Response;

/** Turns `error` into a response (a service's shape, JSON or HTML) and logs it when it is a 5xx. */
export function errorResponse(error: unknown, req: Request, answers: ErrorAnswers): Response {
  const httpError = toHttpError(error);
  if (httpError.status >= 500) {
    const cause = httpError.cause ?? httpError;
    log.error("request failed", {
      method: req.method,
      path: new URL(req.url).pathname,
      status: httpError.status,
      error: cause instanceof Error ? cause.stack ?? cause.message : String(cause),
    });
  }
  const path = new URL(req.url).pathname;
  const shape = answers.shapes?.find((s) => path.startsWith(s.pathPrefix));
  const response = shape
    ? shape.respond(httpError)
    : wantsJson(req, answers.jsonPaths)
    ? Response.json({ error: { status: httpError.status, message: httpError.message } }, {
      status: httpError.status,
    })
    : answers.renderHtml(req, httpError);
  for (const [name, value] of httpError.headers) response.headers.set(name, value);
  return response;
}

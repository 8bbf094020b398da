/**
 * The central error handler: any error thrown by a route or middleware
 * becomes one response here. An `HttpError` keeps its status and message;
 * anything else is a 500 whose details stay in the log. Only 5xx are
 * logged: 4xx are the client's business.
 */
import { createLogger } from "../core/log.ts";
import { HttpError } from "./http_error.ts";

const log = createLogger("web");

/** API paths: their errors are JSON whatever the client accepts (`/v1/`: seed 001's API). */
const API_PREFIXES = ["/api/", "/v1/"];

/** Whether the client wants JSON: API paths and `Accept: application/json`. */
export function wantsJson(req: Request): boolean {
  const path = new URL(req.url).pathname;
  if (API_PREFIXES.some((prefix) => path.startsWith(prefix))) return true;
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

/** Turns `error` into a response (JSON or HTML) and logs it when it is a 5xx. */
export function errorResponse(
  error: unknown,
  req: Request,
  renderHtml: ErrorPageRenderer,
): Response {
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
  const restProxy = new URL(req.url).pathname.startsWith("/topics/");
  const response = restProxy
    // The REST Proxy's own error shape, so its clients read kernel errors (413, 405, 403) too.
    ? Response.json({ error_code: httpError.status, message: httpError.message }, {
      status: httpError.status,
      headers: { "content-type": "application/vnd.kafka.v2+json" },
    })
    : wantsJson(req)
    ? Response.json({ error: { status: httpError.status, message: httpError.message } }, {
      status: httpError.status,
    })
    : renderHtml(req, httpError);
  for (const [name, value] of httpError.headers) response.headers.set(name, value);
  return response;
}

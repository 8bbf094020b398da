/** JSON request bodies and the 400 answer listing every problem, for API routes. */
import { HttpError } from "./http_error.ts";

/** The request's JSON body; 400 when it is not JSON. */
export async function readJsonBody(req: Request): Promise<unknown> {
  const text = await req.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError(400, "the body is not valid JSON");
  }
}

/**
 * 400 (or `status`, e.g. 422) with the central error handler's envelope
 * plus `problems` (strings or `{path, message}`).
 */
export function problemsResponse(
  message: string,
  problems: readonly unknown[],
  status = 400,
): Response {
  return Response.json({ error: { status, message, problems } }, { status });
}

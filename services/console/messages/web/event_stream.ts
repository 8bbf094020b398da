/**
 * A Server-Sent Events response driven by one task: `run(send, signal)`
 * writes named events until it returns; the signal aborts when the client
 * goes away (the browser tab closed, `EventSource.close()`) or the server
 * shuts down, and `finish` always runs (to release the task's clients).
 * A comment every `heartbeatMs` lets the server notice a vanished client.
 */
import { HttpError } from "../../../../shared/web/http_error.ts";

/** Writes one event (`data` is sent as JSON on one line). */
export type SendEvent = (event: string, data: unknown) => void;

/** Options of `taskEventStream`. */
export interface TaskStreamOptions {
  run(send: SendEvent, signal: AbortSignal): Promise<void>;
  /** Runs once when the stream ends, whatever the reason. */
  finish(): Promise<void> | void;
  /** Ends the stream (server shutdown). */
  shutdown?: AbortSignal;
  heartbeatMs?: number;
  /** Called with an error `run` threw; its result is sent as an `error` event. */
  describeError(error: unknown): { status: number; message: string };
}

/** The `text/event-stream` response of `options.run`. */
export function taskEventStream(options: TaskStreamOptions): Response {
  const encoder = new TextEncoder();
  const abort = new AbortController();
  let closed = false;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  let finished: Promise<void> | undefined;
  const finish = () => {
    closed = true;
    abort.abort();
    clearInterval(heartbeat);
    options.shutdown?.removeEventListener("abort", onShutdown);
    finished ??= Promise.resolve(options.finish()).catch(() => {});
    return finished;
  };
  let onShutdown = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          void finish();
        }
      };
      const send: SendEvent = (event, data) =>
        write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      onShutdown = () => {
        void finish().then(() => controller.close()).catch(() => {});
      };
      options.shutdown?.addEventListener("abort", onShutdown, { once: true });
      heartbeat = setInterval(() => write(": heartbeat\n\n"), options.heartbeatMs ?? 15_000);
      write("retry: 86400000\n: started\n\n");
      options.run(send, abort.signal)
        .catch((error) => {
          if (!abort.signal.aborted) send("error", options.describeError(error));
        })
        .finally(async () => {
          if (closed) return;
          await finish();
          try {
            controller.close();
          } catch {
            // already closed by the client
          }
        });
    },
    cancel() {
      void finish();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}

/**
 * A stream refused before it started (a 429 for want of a slot, a 404): an
 * `EventSource` cannot read an error response's body, so a client asking
 * for `text/event-stream` gets the refusal as one `error` event
 * `{status, message}` (the page shows it); any other client gets the
 * error itself (429 JSON naming the holders for curl).
 */
export function refusedStream(req: Request, error: unknown): Response {
  const accept = req.headers.get("accept") ?? "";
  if (!(error instanceof HttpError) || !accept.includes("text/event-stream")) throw error;
  const data = JSON.stringify({ status: error.status, message: error.message });
  return new Response(`retry: 86400000\nevent: error\ndata: ${data}\n\n`, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
    },
  });
}

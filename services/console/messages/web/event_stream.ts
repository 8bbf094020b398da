/**
 * A Server-Sent Events response driven by one task: `run(send, signal)`
 * writes named events until it returns; the signal aborts when the client
 * goes away (the browser tab closed, `EventSource.close()`) or the server
 * shuts down, and `finish` always runs (to release the task's clients).
 * A comment every `heartbeatMs` lets the server notice a vanished client.
 */

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

/** A refused stream as an EventSource can read it (the kernel's, shared/web/sse_refusal.ts). */
export { refusedEventStream as refusedStream } from "../../../../shared/web/sse_refusal.ts";

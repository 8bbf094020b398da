/**
 * A fault the program cannot get past by retrying (a missing permission, a
 * stored offset the log no longer has): it stops with a message naming
 * what is wrong. In a Worker the host hears `{type: "fatal", message}` and
 * marks the consumer failed; a process prints the message and exits 1.
 */

/** Whether this code runs inside a Worker. */
export function inWorker(): boolean {
  return typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== "undefined" &&
    // deno-lint-ignore no-explicit-any
    self instanceof (globalThis as any).WorkerGlobalScope;
}

/** Stops the program (or this Worker) with `message`; never returns. */
export function fatal(message: string): never {
  if (inWorker()) {
    self.postMessage({ type: "fatal", message });
    self.close();
    throw new Error(message);
  }
  console.error(`error: ${message}`);
  Deno.exit(1);
}

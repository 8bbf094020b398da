/**
 * How a consumer program is asked to stop: a Worker by its host's `stop`
 * message (it answers `stopped`, then closes), a process by SIGINT or
 * SIGTERM (it exits 0 once stopped, or 1 if stopping takes longer than
 * `deadlineMs`). Shared by every consumer's main (the runner's and the
 * monitor's).
 */
import { inWorker } from "../core/fatal.ts";
import { createLogger } from "../core/log.ts";

const log = createLogger("consumer");

/** Calls `stop` when asked to; `stop` must be idempotent. */
export function onStopRequest(stop: () => Promise<void>, deadlineMs = 25_000): void {
  if (inWorker()) {
    self.addEventListener("message", async (event) => {
      if ((event as MessageEvent).data?.type !== "stop") return;
      await stop();
      self.postMessage({ type: "stopped" });
      self.close();
    });
    return;
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => {
      setTimeout(() => {
        log.error("did not stop in time; exiting anyway", { deadlineMs });
        Deno.exit(1);
      }, deadlineMs);
      stop().then(() => Deno.exit(0));
    });
  }
}

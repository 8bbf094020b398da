/**
 * KafkaJS 2.2.4 arms a timer with a negative delay whenever its request
 * queue is empty (`scheduleCheckPendingRequests`, tulios/kafkajs#1751), and
 * Node-compatible runtimes print a `TimeoutNegativeWarning` for it once per
 * process and Worker. The timer is harmless (it fires at once, as KafkaJS
 * meant); the warning only confuses whoever reads the logs. This drops
 * exactly that warning and passes every other one to the runtime's printer.
 */
import process from "node:process";

let installed = false;

/** Drops `TimeoutNegativeWarning`s; idempotent. */
export function dropNegativeTimeoutWarnings(): void {
  if (installed) return;
  installed = true;
  const printers = process.listeners("warning");
  process.removeAllListeners("warning");
  process.on("warning", (warning: Error) => {
    if (warning.name === "TimeoutNegativeWarning") return;
    for (const print of printers) print(warning);
  });
}

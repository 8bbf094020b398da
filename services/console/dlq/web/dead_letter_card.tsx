/**
 * A dead letter on the console's pages: why it failed, where it came from,
 * whether it was redriven, then the message itself. Text only.
 */
import { MessageRow } from "../../messages/web/message_list.tsx";
import type { DeadLetterJson } from "../dlq_view.ts";

/** How the console names each dead-letter convention. */
const CONVENTION_NAMES = {
  freshet: "Freshet",
  spring: "Spring Kafka",
  connect: "Kafka Connect",
} as const;

/** The reason and origin of `letter`, and its redrive state. */
export function DeadLetterSummary({ letter }: { letter: DeadLetterJson }) {
  const d = letter.deadLetter;
  const r = letter.redriven;
  return (
    <div class="dead-letter-summary" data-convention={d.convention ?? "unknown"}>
      <p class="convention muted">
        {d.convention
          ? `${CONVENTION_NAMES[d.convention]} dead letter`
          : "No dead-letter headers known to the console (Freshet, Spring Kafka, Kafka Connect)"}
      </p>
      <p class="reason">
        <strong class="code">{d.code ?? "no code"}</strong>: {d.error ?? "no error header"}
      </p>
      <p class="origin">
        From {d.originalTopic ?? "?"} partition {d.originalPartition ?? "?"} offset{" "}
        {d.originalOffset ?? "?"}
        {d.failedAt && <>, failed at {d.failedAt}</>}
        {d.consumer && <>, consumer {d.consumer}</>}
        {d.group && <>(group {d.group})</>}
      </p>
      {d.stacktrace && (
        <details class="stacktrace">
          <summary>Stack trace</summary>
          <pre>{d.stacktrace}</pre>
        </details>
      )}
      {d.previousRedrive && (
        <p class="repeat warn">
          A repeat: this message had been redriven {d.previousRedrive.count}{" "}
          time(s) and failed again.
        </p>
      )}
      {r && (
        <p class="redriven" data-redrive-state={r.state}>
          {r.state === "sent"
            ? `Redriven ${r.redrives} time(s), last at ${r.at}${
              r.user ? ` by ${r.user}` : ""
            } → ${r.targetTopic} partition ${r.sentPartition} offset ${r.sentOffset}.`
            : r.state === "refused"
            ? `The broker refused its redrive at ${r.at}: ${r.error ?? ""}`
            : `Redrive at ${r.at} had no answer from the broker${
              r.error ? ` (${r.error})` : ""
            }: it may have been sent.`}
        </p>
      )}
    </div>
  );
}

/**
 * A dead letter with its message; `select` adds the operator's checkbox;
 * `open` shows the whole message (else its row, which opens to it).
 */
export function DeadLetterCard(
  { letter, select, open = true }: { letter: DeadLetterJson; select?: boolean; open?: boolean },
) {
  return (
    <div class="dead-letter" data-partition={letter.partition} data-offset={letter.offset}>
      {select && (
        <label class="select">
          <input
            type="checkbox"
            name="messages"
            value={`${letter.partition}:${letter.offset}`}
            form="redrive-selected"
          />{" "}
          select
        </label>
      )}
      <DeadLetterSummary letter={letter} />
      <div class="messages">
        <MessageRow message={letter} open={open} />
      </div>
    </div>
  );
}

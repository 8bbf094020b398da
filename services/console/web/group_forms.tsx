/**
 * The operator's forms on a group's console page, each asking once with
 * what will happen: reset offsets (the form previews; the preview says
 * which partitions move, how many messages are read again or skipped, and
 * its one button applies exactly that) and delete the group (the button
 * shows which committed offsets go, then asks). Plain forms posting to the
 * page: no JavaScript needed (a mode's field is shown by CSS `:has()`).
 */
import type { ComponentChildren } from "preact";
import type { RouteState } from "../../../shared/web/route_types.ts";
import { CsrfField } from "../../../shared/web/auth/mod.ts";
import type { OffsetChange } from "../groups/reset_offsets.ts";
import { Problems } from "./problems.tsx";
import { count } from "./format.ts";

/** Props of ResetForm. */
export interface ResetFormProps {
  groupId: string;
  /** The group's own topics (committed to, or assigned to a member), first choice. */
  ownTopics: string[];
  /** Every other topic. */
  otherTopics: string[];
  state: RouteState;
  values: Record<string, string>;
  problems: string[];
  /** Shown under the title, above the form (the confirmation of a preview). */
  children?: ComponentChildren;
}

/** Each mode: its value, its words, and its own field (if any). */
const MODES = [
  ["earliest", "the earliest offset (read everything again)", null],
  ["latest", "the latest offset (skip everything)", null],
  ["timestamp", "the first message at or after a time", "timestamp"],
  ["offset", "an offset", "offset"],
  ["shift", "shifted by N (negative: back)", "by"],
] as const;

function ModeField({ field, value }: { field: string; value: string }) {
  switch (field) {
    case "timestamp":
      return (
        <label class="mode-field">
          Time <span class="hint">ISO 8601 or ms since the epoch</span>
          <input name="timestamp" value={value} placeholder="2024-05-01T12:00Z" />
        </label>
      );
    case "offset":
      return (
        <label class="mode-field">
          Offset <input name="offset" type="number" min={0} value={value} />
        </label>
      );
    default:
      return (
        <label class="mode-field">
          Shift by <input name="by" type="number" value={value} placeholder="-100" />
        </label>
      );
  }
}

/** The reset form: it previews; the confirmation applies. */
export function ResetForm(props: ResetFormProps) {
  const { values, ownTopics, otherTopics } = props;
  const action = `/console/groups/${encodeURIComponent(props.groupId)}#reset`;
  const chosen = values.topic ?? ownTopics[0] ?? otherTopics[0];
  const option = (t: string) => <option key={t} value={t} selected={chosen === t}>{t}</option>;
  const mode = values.to ?? "earliest";
  return (
    <section id="reset" aria-labelledby="reset-title">
      <h2 id="reset-title">Reset offsets</h2>
      <Problems title="No offset was reset:" problems={props.problems} />
      {props.children}
      <form method="post" action={action} class="stacked-form reset-form">
        <CsrfField state={props.state} />
        <input type="hidden" name="intent" value="reset" />
        <label>
          Topic{" "}
          <select name="topic" required>
            {ownTopics.length > 0 && (
              <optgroup label="This group's topics">{ownTopics.map(option)}</optgroup>
            )}
            {otherTopics.length > 0 && (
              <optgroup label="Other topics">{otherTopics.map(option)}</optgroup>
            )}
          </select>
        </label>
        <label>
          Partition <span class="hint">empty: every partition</span>
          <input
            name="partition"
            type="number"
            min={0}
            value={values.partition ?? ""}
            placeholder="all"
          />
        </label>
        <fieldset class="reset-modes">
          <legend>To</legend>
          {MODES.map(([value, label, field]) => (
            <div class="mode" key={value} data-mode={value}>
              <label>
                <input type="radio" name="to" value={value} checked={mode === value} /> {label}
              </label>
              {field && <ModeField field={field} value={values[field] ?? ""} />}
            </div>
          ))}
        </fieldset>
        <button type="submit">Preview the reset</button>
      </form>
    </section>
  );
}

/** Props of ResetConfirm. */
export interface ResetConfirmProps {
  groupId: string;
  /** The reset's fields as asked (topic, partition, to and the mode's field). */
  values: Record<string, string>;
  /** Every partition's change. */
  changes: OffsetChange[];
  /** The group has members: the reset would be refused. */
  active: boolean;
  state: RouteState;
}

/** What a preview means for the group's consumers: messages read again, and skipped. */
export function resetEffect(changes: OffsetChange[]): { again: number; skipped: number } {
  let again = 0;
  let skipped = 0;
  for (const c of changes) {
    const from = c.from ?? c.end;
    if (c.to < from) again += from - c.to;
    else skipped += c.to - from;
  }
  return { again, skipped };
}

/** The fields of a reset that the confirmation posts again (only the chosen mode's). */
export function resetFields(values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { topic: values.topic ?? "", to: values.to ?? "" };
  if (values.partition) out.partition = values.partition;
  const field = MODES.find(([mode]) => mode === values.to)?.[2];
  if (field) out[field] = values[field] ?? "";
  return out;
}

/** The preview, in words and per partition, and its one button. */
export function ResetConfirm(props: ResetConfirmProps) {
  const { changes } = props;
  const moved = changes.filter((c) => c.from !== c.to);
  const { again, skipped } = resetEffect(changes);
  const topic = props.values.topic;
  const back = `/console/groups/${encodeURIComponent(props.groupId)}`;
  return (
    <section
      id="reset-confirm"
      class="confirm"
      aria-labelledby="reset-confirm-title"
      data-moved={moved.length}
    >
      <h2 id="reset-confirm-title">
        Reset {props.groupId} on {topic}: {moved.length} of {changes.length} partition(s) move
      </h2>
      <p>
        Its consumers will {again > 0 && <strong>read {count(again)} message(s) again</strong>}
        {again > 0 && skipped > 0 && " and "}
        {skipped > 0 && <strong>skip {count(skipped)} message(s)</strong>}
        {again === 0 && skipped === 0 && "read from where they are now"}. Nothing has changed yet.
      </p>
      <table class="preview">
        <thead>
          <tr>
            <th scope="col">Partition</th>
            <th scope="col" class="num">Now</th>
            <th scope="col" class="num">New</th>
            <th scope="col" class="num">Start</th>
            <th scope="col" class="num">End</th>
            <th scope="col">Note</th>
          </tr>
        </thead>
        <tbody>
          {changes.map((c) => (
            <tr key={`${c.topic}:${c.partition}`} data-partition={c.partition}>
              <td>{c.topic}:{c.partition}</td>
              <td class="num">{c.from ?? "—"}</td>
              <td class="num">{c.to}</td>
              <td class="num">{c.start}</td>
              <td class="num">{c.end}</td>
              <td>{c.note ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.active
        ? (
          <p class="warn">
            The group has active members: the reset is refused until they stop (they would overwrite
            it with their next commit).
          </p>
        )
        : (
          <form method="post" action={`${back}#reset`} class="inline-form danger">
            <CsrfField state={props.state} />
            <input type="hidden" name="intent" value="reset" />
            <input type="hidden" name="confirm" value="1" />
            {Object.entries(resetFields(props.values)).map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            <button type="submit">
              Reset {moved.length} partition(s) of {topic}
            </button>{" "}
            <a href={back}>Cancel</a>
          </form>
        )}
    </section>
  );
}

/** Props of DeleteGroupForm. */
export interface DeleteGroupFormProps {
  groupId: string;
  state: RouteState;
  problems: string[];
  /** Show the confirmation: the offsets that go. */
  confirming: boolean;
  /** The group's committed offsets per topic (partitions and lag). */
  offsets: { topic: string; partitions: number; lag: number | null }[];
}

/** The delete form (an empty group only): a first button, then the confirmation. */
export function DeleteGroupForm(props: DeleteGroupFormProps) {
  const { groupId, state, offsets } = props;
  const action = `/console/groups/${encodeURIComponent(groupId)}#delete`;
  const partitions = offsets.reduce((n, o) => n + o.partitions, 0);
  return (
    <section
      id="delete"
      aria-labelledby="delete-group-title"
      class={props.confirming ? "confirm" : undefined}
    >
      <h2 id="delete-group-title">
        {props.confirming ? `Delete ${groupId}?` : "Delete the group"}
      </h2>
      <Problems title="The group was not deleted:" problems={props.problems} />
      {!props.confirming
        ? (
          <form method="post" action={action} class="inline-form">
            <CsrfField state={state} />
            <input type="hidden" name="intent" value="delete" />
            <button type="submit">Delete the group…</button>
          </form>
        )
        : (
          <>
            <p>
              Kafka forgets the group and{" "}
              <strong>its committed offsets on {partitions} partition(s)</strong>
              {offsets.length > 0 ? ":" : " (it has none)."}
            </p>
            {offsets.length > 0 && (
              <ul class="confirm-targets">
                {offsets.map((o) => (
                  <li key={o.topic} data-topic={o.topic}>
                    <a href={`/console/topics/${encodeURIComponent(o.topic)}`}>{o.topic}</a>:{" "}
                    {o.partitions} partition(s), lag {o.lag === null ? "—" : count(o.lag)}
                  </li>
                ))}
              </ul>
            )}
            <p>
              A consumer that joins with this group id afterwards starts where its{" "}
              <code>auto.offset.reset</code> says (latest, by default).
            </p>
            <form method="post" action={action} class="inline-form danger">
              <CsrfField state={state} />
              <input type="hidden" name="intent" value="delete" />
              <input type="hidden" name="confirm" value={groupId} />
              <button type="submit">Delete {groupId}</button>{" "}
              <a href={`/console/groups/${encodeURIComponent(groupId)}`}>Cancel</a>
            </form>
          </>
        )}
    </section>
  );
}

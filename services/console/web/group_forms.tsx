/**
 * The operator's forms on a group's console page: reset offsets (Preview
 * runs a dry run and shows old → new per partition; Reset applies it) and
 * delete the group. Plain forms posting to the page.
 */
import type { RouteState } from "../../../shared/web/route_types.ts";
import { CsrfField } from "../../../shared/web/auth/mod.ts";
import type { OffsetChange } from "../groups/reset_offsets.ts";
import { Problems } from "./problems.tsx";

/** Props of ResetForm. */
export interface ResetFormProps {
  groupId: string;
  /** Topics offered (those the group has committed to, and any other). */
  topics: string[];
  state: RouteState;
  values: Record<string, string>;
  problems: string[];
  /** The last preview, shown under the form. */
  preview?: OffsetChange[];
}

const TARGETS = [
  ["earliest", "the earliest offset"],
  ["latest", "the latest offset (skip everything)"],
  ["timestamp", "the first message at or after a time"],
  ["offset", "an offset"],
  ["shift", "shifted by N (negative: back)"],
] as const;

/** The reset form, and the preview table when there is one. */
export function ResetForm(props: ResetFormProps) {
  const { values } = props;
  const action = `/console/groups/${encodeURIComponent(props.groupId)}#reset`;
  return (
    <section id="reset" aria-labelledby="reset-title">
      <h2 id="reset-title">Reset offsets</h2>
      <Problems title="No offset was reset:" problems={props.problems} />
      <form method="post" action={action} class="stacked-form">
        <CsrfField state={props.state} />
        <input type="hidden" name="intent" value="reset" />
        <label>
          Topic{" "}
          <select name="topic" required>
            {props.topics.map((t) => (
              <option key={t} value={t} selected={values.topic === t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Partition{" "}
          <input
            name="partition"
            type="number"
            min={0}
            value={values.partition ?? ""}
            placeholder="all"
          />
        </label>
        <fieldset>
          <legend>To</legend>
          {TARGETS.map(([value, label]) => (
            <label>
              <input
                type="radio"
                name="to"
                value={value}
                checked={(values.to ?? "earliest") === value}
              />{" "}
              {label}
            </label>
          ))}
        </fieldset>
        <label>
          Time (ISO 8601 or ms){" "}
          <input name="timestamp" value={values.timestamp ?? ""} placeholder="2024-05-01T12:00Z" />
        </label>
        <label>
          Offset <input name="offset" type="number" min={0} value={values.offset ?? ""} />
        </label>
        <label>
          Shift by <input name="by" type="number" value={values.by ?? ""} />
        </label>
        <p>
          <button type="submit" name="dryRun" value="1">Preview</button>{" "}
          <button type="submit" name="dryRun" value="0">Reset</button>
        </p>
      </form>
      {props.preview && (
        <table class="preview">
          <caption>Preview (nothing changed yet)</caption>
          <thead>
            <tr>
              <th>Partition</th>
              <th class="num">Now</th>
              <th class="num">New</th>
              <th class="num">Start</th>
              <th class="num">End</th>
              <th>Note</th>
            </tr>
          </thead>
          <tbody>
            {props.preview.map((c) => (
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
      )}
    </section>
  );
}

/** The delete form (an empty group only). */
export function DeleteGroupForm(
  { groupId, state, problems }: { groupId: string; state: RouteState; problems: string[] },
) {
  return (
    <section id="delete" aria-labelledby="delete-group-title">
      <h2 id="delete-group-title">Delete the group</h2>
      <Problems title="The group was not deleted:" problems={problems} />
      <form
        method="post"
        action={`/console/groups/${encodeURIComponent(groupId)}#delete`}
        class="inline-form danger"
      >
        <CsrfField state={state} />
        <input type="hidden" name="intent" value="delete" />
        <button type="submit">Delete {groupId}</button>
      </form>
    </section>
  );
}

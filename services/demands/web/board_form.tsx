/**
 * The new-demand form of the DemandBoard island: a plain POST form to
 * `/demands` that works without JavaScript, with the problems of the last
 * attempt listed above it and the typed values kept. Hydrated, the island
 * sends it to `POST /api/demands` and shows the answer in place.
 */
import { useState } from "preact/hooks";
import { type DemandFormValues, type Problem, problemLine } from "./demand_form.ts";
import { CSRF_FIELD } from "../../../shared/web/auth/csrf_token.ts";

/** Props of NewDemandForm. */
export interface NewDemandFormProps {
  /** The values to start with (remount the form, with a new `key`, to start again). */
  values: DemandFormValues;
  problems: Problem[];
  priorities: string[];
  /** Set while a hydrated submit is on its way. */
  busy?: boolean;
  /** What happened to the last hydrated submit. */
  notice?: string;
  /** Hydrated: called with the form instead of posting it. */
  onCreate?: (form: HTMLFormElement) => void;
  /** The session's CSRF token (shared/web/auth), when someone is logged in. */
  csrfToken?: string;
}

/** The form. */
export function NewDemandForm(
  { values: initial, problems, priorities, busy, notice, onCreate, csrfToken }: NewDemandFormProps,
) {
  // The fields are controlled, so a re-render (a live update) never undoes typing.
  const [values, setValues] = useState(initial);
  const field = (name: keyof DemandFormValues) => ({
    name,
    value: values[name],
    onInput: (event: Event) =>
      setValues((v) => ({ ...v, [name]: (event.target as HTMLInputElement).value })),
  });
  const submit = (event: SubmitEvent) => {
    if (!onCreate) return;
    event.preventDefault();
    onCreate(event.currentTarget as HTMLFormElement);
  };
  return (
    <form method="post" action="/demands" class="demand-form" onSubmit={submit}>
      <input type="hidden" name="intent" value="create" />
      {csrfToken && <input type="hidden" name={CSRF_FIELD} value={csrfToken} />}
      {problems.length > 0 && (
        <div class="problems" role="alert">
          <p>The demand was not sent:</p>
          <ul>
            {problems.map((problem) => (
              <li key={`${problem.path}:${problem.message}`} data-path={problem.path}>
                {problemLine(problem)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {notice && <p class="notice" role="status">{notice}</p>}
      <label>
        Type <input {...field("type")} required maxLength={100} size={14} />
      </label>{" "}
      <label>
        Priority{" "}
        <select {...field("priority")}>
          {priorities.map((priority) => (
            <option key={priority} value={priority} selected={values.priority === priority}>
              {priority}
            </option>
          ))}
        </select>
      </label>{" "}
      <label>
        Latitude <input {...field("lat")} required inputMode="decimal" size={9} />
      </label>{" "}
      <label>
        Longitude <input {...field("lng")} required inputMode="decimal" size={9} />
      </label>{" "}
      <label>
        Id <input {...field("id")} maxLength={200} size={12} placeholder="(new UUID)" />
      </label>{" "}
      <button type="submit" disabled={busy}>{busy ? "Sending…" : "Send demand"}</button>
    </form>
  );
}

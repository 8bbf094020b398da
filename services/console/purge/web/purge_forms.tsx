/**
 * The purge page's two steps: a form that asks what to purge and previews
 * it (GET: it changes nothing), then the plan — records per partition and
 * in all — with the confirmation form an operator types the topic's name
 * into (POST), as topic delete asks.
 */
import type { RouteState } from "../../../../shared/web/route_types.ts";
import { CsrfField } from "../../../../shared/web/auth/mod.ts";
import { count } from "../../web/format.ts";
import { Problems } from "../../web/problems.tsx";
import type { PurgePlan } from "../purge.ts";

/** Props of PurgePreviewForm. */
export interface PurgePreviewFormProps {
  topic: string;
  partitions: number[];
  values: Record<string, string>;
  problems: string[];
}

/** What to purge: partition, and before an offset, a time or the end. */
export function PurgePreviewForm({ topic, partitions, values, problems }: PurgePreviewFormProps) {
  const before = values.before ?? "timestamp";
  return (
    <section aria-labelledby="purge-what">
      <h2 id="purge-what">What to purge</h2>
      <Problems title="Nothing can be previewed:" problems={problems} />
      <form
        method="get"
        action={`/console/topics/${encodeURIComponent(topic)}/purge`}
        class="stacked-form"
      >
        <label>
          Partition{" "}
          <select name="partition">
            <option value="all" selected={!values.partition || values.partition === "all"}>
              all
            </option>
            {partitions.map((p) => (
              <option value={String(p)} selected={values.partition === String(p)}>{p}</option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>Delete the records</legend>
          <label>
            <input type="radio" name="before" value="timestamp" checked={before === "timestamp"} />
            {" "}
            older than{" "}
            <input
              name="timestamp"
              value={values.timestamp ?? ""}
              placeholder="2024-05-01T10:00:00Z or ms"
            />
          </label>
          <label>
            <input type="radio" name="before" value="offset" checked={before === "offset"} />{" "}
            before offset <input name="offset" type="number" min={0} value={values.offset ?? ""} />
            {" "}
            <span class="muted">(one partition)</span>
          </label>
          <label>
            <input type="radio" name="before" value="end" checked={before === "end"} />{" "}
            every record (empty the log)
          </label>
        </fieldset>
        <button type="submit">Preview</button>
      </form>
    </section>
  );
}

/** Props of PurgePlanView. */
export interface PurgePlanViewProps {
  plan: PurgePlan;
  state: RouteState;
  operator: boolean;
  problems: string[];
}

/** The plan, and for an operator the typed confirmation. */
export function PurgePlanView({ plan, state, operator, problems }: PurgePlanViewProps) {
  const r = plan.request;
  return (
    <section aria-labelledby="purge-plan">
      <h2 id="purge-plan">Preview</h2>
      <p data-field="purge-total">
        Purging {plan.description} deletes <strong>{count(plan.records)}</strong> record(s).
      </p>
      <table class="offsets">
        <thead>
          <tr>
            <th class="num">Partition</th>
            <th class="num">Start</th>
            <th class="num">End</th>
            <th class="num">New start</th>
            <th class="num">Records deleted</th>
          </tr>
        </thead>
        <tbody>
          {plan.partitions.map((p) => (
            <tr data-partition={String(p.partition)}>
              <td class="num">{p.partition}</td>
              <td class="num">{p.start}</td>
              <td class="num">{p.end}</td>
              <td class="num">{p.before}</td>
              <td class="num">{count(p.records)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">
        Counts are end − start offsets (an upper bound on a compacted topic). The purge plans again
        when it runs; the log may have grown since.
      </p>
      {operator && plan.records > 0 && (
        <>
          <Problems title="Nothing was purged:" problems={problems} />
          <form method="post" class="inline-form danger">
            <CsrfField state={state} />
            <input
              type="hidden"
              name="partition"
              value={r.partition === undefined ? "all" : String(r.partition)}
            />
            <input type="hidden" name="before" value={r.before.kind} />
            {r.before.kind === "offset" && (
              <input type="hidden" name="offset" value={String(r.before.offset)} />
            )}
            {r.before.kind === "timestamp" && (
              <input type="hidden" name="timestamp" value={String(r.before.timestampMs)} />
            )}
            <label>
              Type <code>{plan.topic}</code> to confirm{" "}
              <input name="confirm" autocomplete="off" required />
            </label>{" "}
            <button type="submit">Purge</button>
          </form>
        </>
      )}
    </section>
  );
}

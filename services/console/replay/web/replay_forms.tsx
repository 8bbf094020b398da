/**
 * The replay pages' parts: the form that asks what to copy where (GET: a
 * dry run, changing nothing), the dry run's count and sample with the form
 * that starts the replay (POST), a replay's progress with cancel and
 * resume, and the list of a topic's replays.
 */
import type { RouteState } from "../../../../shared/web/route_types.ts";
import { CsrfField } from "../../../../shared/web/auth/mod.ts";
import { count } from "../../web/format.ts";
import { Problems } from "../../web/problems.tsx";
import type { DryRun } from "../replay_plan.ts";
import type { ReplayStatus } from "../replay_runner.ts";
import { DEFAULT_RATE_PER_SEC } from "../replay_input.ts";
import { FILTER_PARAMS } from "../../messages/browse_query.ts";

/** The form's fields, in the order a start form repeats them. */
export const REPLAY_FIELDS = [
  "target",
  "partition",
  "from",
  "fromOffset",
  "fromTimestamp",
  "until",
  "untilOffset",
  "untilTimestamp",
  ...FILTER_PARAMS,
  "ratePerSec",
] as const;

/** The console path of replay `id`. */
export function replayPath(id: number): string {
  return `/console/replays/${id}`;
}

/** Props of ReplayForm. */
export interface ReplayFormProps {
  topic: string;
  partitions: number[];
  values: Record<string, string>;
  problems: string[];
}

/** What to replay where: a GET form whose answer is the dry run. */
export function ReplayForm({ topic, partitions, values, problems }: ReplayFormProps) {
  const v = (name: string) => values[name] ?? "";
  const from = v("from") || "oldest";
  const until = v("until") || "end";
  return (
    <section aria-labelledby="replay-what">
      <h2 id="replay-what">What to copy, and where</h2>
      <Problems title="Nothing can be replayed:" problems={problems} />
      <form
        method="get"
        action={`/console/topics/${encodeURIComponent(topic)}/replay`}
        class="stacked-form"
      >
        <input type="hidden" name="dryRun" value="1" />
        <label>
          Target topic <input name="target" value={v("target")} required />
        </label>
        <label>
          Partition{" "}
          <select name="partition">
            <option value="all" selected={!v("partition") || v("partition") === "all"}>all</option>
            {partitions.map((p) => (
              <option value={String(p)} selected={v("partition") === String(p)}>{p}</option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>From</legend>
          <label>
            <input type="radio" name="from" value="oldest" checked={from === "oldest"} />{" "}
            the oldest record
          </label>
          <label>
            <input type="radio" name="from" value="offset" checked={from === "offset"} /> offset
            {" "}
            <input name="fromOffset" type="number" min={0} value={v("fromOffset")} />
          </label>
          <label>
            <input type="radio" name="from" value="timestamp" checked={from === "timestamp"} /> time
            {" "}
            <input
              name="fromTimestamp"
              value={v("fromTimestamp")}
              placeholder="2024-05-01T10:00:00Z or ms"
            />
          </label>
        </fieldset>
        <fieldset>
          <legend>Until (not included)</legend>
          <label>
            <input type="radio" name="until" value="end" checked={until === "end"} />{" "}
            the end (as it is when the replay starts)
          </label>
          <label>
            <input type="radio" name="until" value="offset" checked={until === "offset"} /> offset
            {" "}
            <input name="untilOffset" type="number" min={0} value={v("untilOffset")} />
          </label>
          <label>
            <input type="radio" name="until" value="timestamp" checked={until === "timestamp"} />
            {" "}
            time{" "}
            <input
              name="untilTimestamp"
              value={v("untilTimestamp")}
              placeholder="2024-05-01T11:00:00Z or ms"
            />
          </label>
        </fieldset>
        <fieldset>
          <legend>Only records matching (the message browser's filters)</legend>
          <label>
            Key <input name="key" value={v("key")} />{" "}
            <select name="keyMatch">
              <option value="equals" selected={v("keyMatch") !== "contains"}>equals</option>
              <option value="contains" selected={v("keyMatch") === "contains"}>contains</option>
            </select>
          </label>
          <label>
            Value contains <input name="value" value={v("value")} />
          </label>
          <label>
            Header <input name="header" value={v("header")} /> value contains{" "}
            <input name="headerValue" value={v("headerValue")} />
          </label>
        </fieldset>
        <label>
          Rate (records per second){" "}
          <input
            name="ratePerSec"
            type="number"
            min={1}
            value={v("ratePerSec") || String(DEFAULT_RATE_PER_SEC)}
          />
        </label>
        <button type="submit">Dry run</button>
      </form>
    </section>
  );
}

/** Props of DryRunView. */
export interface DryRunViewProps {
  dry: DryRun;
  values: Record<string, string>;
  state: RouteState;
  problems: string[];
}

/** The dry run's count and sample, and the form that starts the replay. */
export function DryRunView({ dry, values, state, problems }: DryRunViewProps) {
  return (
    <section aria-labelledby="replay-dry-run">
      <h2 id="replay-dry-run">Dry run</h2>
      <p data-field="replay-count">
        <strong>{count(dry.matching)}</strong> of {count(dry.scanned)}{" "}
        record(s) match{dry.complete ? "" : " (the dry run's budget ended before the range did)"} —
        {" "}
        {count(dry.offsets)} offset(s) in the range, read in {dry.elapsedMs} ms.
      </p>
      <table class="offsets">
        <thead>
          <tr>
            <th class="num">Partition</th>
            <th class="num">From</th>
            <th class="num">Until</th>
          </tr>
        </thead>
        <tbody>
          {dry.ranges.map((r) => (
            <tr data-partition={String(r.partition)}>
              <td class="num">{r.partition}</td>
              <td class="num">{r.from}</td>
              <td class="num">{r.until}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {dry.sample.length > 0 && (
        <>
          <h3>The first {dry.sample.length} (a sample)</h3>
          <ul class="sample">
            {dry.sample.map((m) => (
              <li>
                <code>{m.partition}:{m.offset}</code> {m.key?.text ?? "(no key)"} →{" "}
                <span class="break">{(m.value?.text ?? "(tombstone)").slice(0, 200)}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {dry.matching > 0 && (
        <>
          <Problems title="Nothing was replayed:" problems={problems} />
          <form method="post" class="inline-form">
            <CsrfField state={state} />
            {REPLAY_FIELDS.map((name) =>
              values[name]
                ? <input key={name} type="hidden" name={name} value={values[name]} />
                : null
            )}
            <button type="submit">Start the replay</button>
          </form>
        </>
      )}
    </section>
  );
}

/** Props of ReplayStatusView. */
export interface ReplayStatusViewProps {
  replay: ReplayStatus;
  state: RouteState;
}

/** A replay's progress, and the form that cancels or resumes it. */
export function ReplayStatusView({ replay, state }: ReplayStatusViewProps) {
  const r = replay;
  const canResume = ["cancelled", "failed", "interrupted"].includes(r.state);
  return (
    <section aria-labelledby="replay-status">
      <h2 id="replay-status">
        Replay {r.id}: <span data-field="replay-state">{r.state}</span>
      </h2>
      <p>
        {r.source} → {r.target} · {count(r.sent)} sent · {count(r.scanned)} read ·{" "}
        {r.progress.percent} % of {count(r.progress.offsets)} offset(s) · at most{" "}
        {count(r.request.ratePerSec)}/s · started by {r.user ?? "?"} at {r.createdAt}
      </p>
      {r.error && <p class="problems" role="alert">{r.error}</p>}
      {r.unknown.length > 0 && (
        <p class="notice" role="note">
          Sends of unknown outcome, never sent again (their records may be in {r.target} or not):
          {" "}
          {r.unknown.map((u) => `${u.partition}:${u.from}-${u.until}`).join(", ")}
        </p>
      )}
      <table class="offsets">
        <thead>
          <tr>
            <th class="num">Partition</th>
            <th class="num">From</th>
            <th class="num">Until</th>
            <th class="num">Replayed up to</th>
          </tr>
        </thead>
        <tbody>
          {r.partitions.map((p) => (
            <tr data-partition={String(p.partition)}>
              <td class="num">{p.partition}</td>
              <td class="num">{p.from}</td>
              <td class="num">{p.until}</td>
              <td class="num">{p.position}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {(r.state === "running" || canResume) && (
        <form method="post" class="inline-form">
          <CsrfField state={state} />
          <input type="hidden" name="intent" value={r.state === "running" ? "cancel" : "resume"} />
          <button type="submit">{r.state === "running" ? "Cancel" : "Resume"}</button>
        </form>
      )}
      {r.state === "running" && (
        <p>
          <a href={replayPath(r.id)}>Refresh</a> to follow it (or GET /api/replays/{r.id}).
        </p>
      )}
    </section>
  );
}

/** A topic's replays, newest first. */
export function ReplayList({ replays }: { replays: ReplayStatus[] }) {
  if (replays.length === 0) return null;
  return (
    <section aria-labelledby="replay-list">
      <h2 id="replay-list">Replays of this topic</h2>
      <ul>
        {replays.map((r) => (
          <li>
            <a href={replayPath(r.id)}>Replay {r.id}</a> → {r.target}: {r.state}, {count(r.sent)}
            {" "}
            sent ({r.createdAt})
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The operator's forms on a topic's console page: produce a message, add
 * partitions, change configs, delete (typing the topic's name). Plain
 * forms posting to the page, each with its `intent` and the CSRF field.
 */
import type { RouteState } from "../../../shared/web/route_types.ts";
import { CsrfField } from "../../../shared/web/auth/mod.ts";
import type { TopicDetail } from "../topics/topic_detail.ts";
import { Problems } from "./problems.tsx";

/** What a refused post left: which form, its values and its problems. */
export interface FormState {
  intent?: string;
  values: Record<string, string>;
  problems: string[];
}

/** Props of TopicForms. */
export interface TopicFormsProps {
  topic: TopicDetail;
  state: RouteState;
  form: FormState;
}

function problemsOf(form: FormState, intent: string): string[] {
  return form.intent === intent ? form.problems : [];
}

function valueOf(form: FormState, intent: string, name: string, fallback = ""): string {
  return form.intent === intent ? form.values[name] ?? fallback : fallback;
}

/** The four forms. */
export function TopicForms({ topic, state, form }: TopicFormsProps) {
  const action = `/console/topics/${encodeURIComponent(topic.name)}`;
  return (
    <>
      <section id="produce" aria-labelledby="produce-title">
        <h2 id="produce-title">Produce a message</h2>
        <Problems title="Nothing was produced:" problems={problemsOf(form, "produce")} />
        <form method="post" action={`${action}#produce`} class="stacked-form">
          <CsrfField state={state} />
          <input type="hidden" name="intent" value="produce" />
          <label>
            Key <input name="key" value={valueOf(form, "produce", "key")} />
          </label>
          <label>
            Value
            <textarea name="value" rows={4}>{valueOf(form, "produce", "value")}</textarea>
          </label>
          <label>
            <input type="checkbox" name="tombstone" /> Tombstone (null value)
          </label>
          <label>
            Headers (one <code>name: value</code> per line)
            <textarea name="headers" rows={2}>{valueOf(form, "produce", "headers")}</textarea>
          </label>
          <label>
            Partition{" "}
            <input
              name="partition"
              type="number"
              min={0}
              max={topic.partitions.length - 1}
              value={valueOf(form, "produce", "partition")}
              placeholder="by key"
            />
          </label>
          <label>
            Schema Registry subject{" "}
            <input
              name="subject"
              value={valueOf(form, "produce", "subject")}
              placeholder={`none (e.g. ${topic.name}-value)`}
            />{" "}
            <span class="muted">
              the value (JSON) is encoded with its latest schema (Protobuf message:{" "}
              <input name="message" size={12} value={valueOf(form, "produce", "message")} />)
            </span>
          </label>
          <button type="submit">Produce</button>
        </form>
      </section>
      <section id="partitions-form" aria-labelledby="grow-title">
        <h2 id="grow-title">Add partitions</h2>
        <Problems title="No partition was added:" problems={problemsOf(form, "partitions")} />
        <p class="muted">
          Kafka never removes partitions, and keys hash to other partitions once the count changes.
        </p>
        <form method="post" action={`${action}#partitions-form`} class="inline-form">
          <CsrfField state={state} />
          <input type="hidden" name="intent" value="partitions" />
          <label>
            New count{" "}
            <input
              name="partitions"
              type="number"
              min={topic.partitions.length + 1}
              value={valueOf(form, "partitions", "partitions", String(topic.partitions.length + 1))}
              required
            />
          </label>{" "}
          <button type="submit">Add partitions</button>
        </form>
      </section>
      <section id="configs-form" aria-labelledby="alter-title">
        <h2 id="alter-title">Change configs</h2>
        <Problems title="No config was changed:" problems={problemsOf(form, "configs")} />
        <form method="post" action={`${action}#configs-form`} class="stacked-form">
          <CsrfField state={state} />
          <input type="hidden" name="intent" value="configs" />
          <label>
            One <code>key=value</code> per line; <code>key=</code> removes an override
            <textarea name="configs" rows={3} placeholder="retention.ms=604800000">
              {valueOf(form, "configs", "configs")}
            </textarea>
          </label>
          <button type="submit">Apply</button>
        </form>
      </section>
      <section id="delete-form" aria-labelledby="delete-title">
        <h2 id="delete-title">Delete the topic</h2>
        <Problems title="The topic was not deleted:" problems={problemsOf(form, "delete")} />
        <form method="post" action={`${action}#delete-form`} class="inline-form danger">
          <CsrfField state={state} />
          <input type="hidden" name="intent" value="delete" />
          <label>
            Type <code>{topic.name}</code> to confirm{" "}
            <input name="confirm" autocomplete="off" required />
          </label>{" "}
          <button type="submit">Delete</button>
        </form>
      </section>
    </>
  );
}

/**
 * The operator's forms on a topic's console page: produce a message (the
 * Produce tab, with what the last send did beside it), add partitions,
 * change configs, delete (typing the topic's name) (the Settings tab).
 * Plain forms posting to the page, each with its `intent` and the CSRF
 * field.
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

/** Props of ProduceForm. */
export interface ProduceFormProps extends TopicFormsProps {
  /** What the last send did (after its redirect). */
  notice?: string;
}

/** The produce form, with the last send's outcome beside it. */
export function ProduceForm({ topic, state, form, notice }: ProduceFormProps) {
  const action = `/console/topics/${encodeURIComponent(topic.name)}`;
  return (
    <section id="produce" aria-labelledby="produce-title">
      <h2 id="produce-title">Produce a message</h2>
      <div class="form-with-notice">
        <form method="post" action={`${action}?tab=produce`} class="stacked-form">
          <CsrfField state={state} />
          <input type="hidden" name="intent" value="produce" />
          <label>
            Key <input name="key" value={valueOf(form, "produce", "key")} />
          </label>
          <label>
            Value
            <textarea name="value" rows={6}>{valueOf(form, "produce", "value")}</textarea>
          </label>
          <label class="check">
            <input type="checkbox" name="tombstone" />
            <span>Tombstone: send a null value (deletes the key in a compacted topic)</span>
          </label>
          <label>
            Headers{" "}
            <span class="hint">
              one <code>name: value</code> per line
            </span>
            <textarea name="headers" rows={2}>{valueOf(form, "produce", "headers")}</textarea>
          </label>
          <label>
            Partition <span class="hint">empty: chosen from the key</span>
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
            <span class="hint">the value (JSON) is encoded with the subject's latest schema</span>
            <input
              name="subject"
              value={valueOf(form, "produce", "subject")}
              placeholder={`none (e.g. ${topic.name}-value)`}
            />
          </label>
          <label>
            Protobuf message <span class="hint">for a Protobuf schema with several messages</span>
            <input name="message" value={valueOf(form, "produce", "message")} />
          </label>
          <button type="submit">Produce</button>
        </form>
        <aside aria-live="polite">
          {notice && <p class="notice" role="status">{notice}</p>}
          <Problems title="Nothing was produced:" problems={problemsOf(form, "produce")} />
        </aside>
      </div>
    </section>
  );
}

/** The settings forms: add partitions, change configs, delete. */
export function TopicForms({ topic, state, form }: TopicFormsProps) {
  const action = `/console/topics/${encodeURIComponent(topic.name)}`;
  return (
    <>
      <section id="partitions-form" aria-labelledby="grow-title">
        <h2 id="grow-title">Add partitions</h2>
        <Problems title="No partition was added:" problems={problemsOf(form, "partitions")} />
        <p class="muted">
          Kafka never removes partitions, and keys hash to other partitions once the count changes.
        </p>
        <form method="post" action={`${action}?tab=settings#partitions-form`} class="inline-form">
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
        <form method="post" action={`${action}?tab=settings#configs-form`} class="stacked-form">
          <CsrfField state={state} />
          <input type="hidden" name="intent" value="configs" />
          <label>
            Configs{" "}
            <span class="hint">
              one <code>key=value</code> per line; <code>key=</code> removes an override
            </span>
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
        <form
          method="post"
          action={`${action}?tab=settings#delete-form`}
          class="inline-form danger"
        >
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

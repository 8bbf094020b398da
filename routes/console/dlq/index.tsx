/**
 * `/console/dlq`: every dead-letter topic with its count and its newest
 * arrivals (reason, origin, time), linking each topic's dead letters;
 * filtered by name (`q`), 20 a page (`page`).
 */
import { dlqTopics } from "../../../services/console/dlq/web/dlq_reads.ts";
import type { DlqTopicSummary } from "../../../services/console/dlq/dlq_view.ts";
import { DeadLetterSummary } from "../../../services/console/dlq/web/dead_letter_card.tsx";
import { ConsoleNav } from "../../../services/console/web/console_nav.tsx";
import { count } from "../../../services/console/web/format.ts";
import type { Handlers, PageProps, RouteAccess } from "../../../shared/web/mod.ts";
import { Time } from "../../../shared/web/time.tsx";
import { Pager, pageRows } from "../../../shared/web/paging.tsx";

/** Dead-letter topics a page shows (each with its newest arrivals). */
const DLQ_TOPICS_PAGE_SIZE = 20;

/** The page title. */
export const title = "Dead letters · Console · Freshet";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the list. */
export const handler: Handlers<DlqTopicSummary[]> = {
  async GET(_req, ctx) {
    return ctx.render(await dlqTopics(ctx.services));
  },
};

/** The page. */
export default function DeadLetters({ data, url, state }: PageProps<DlqTopicSummary[]>) {
  const filter = (url.searchParams.get("q") ?? "").trim();
  const matching = filter
    ? data.filter((t) => t.topic.toLowerCase().includes(filter.toLowerCase()))
    : data;
  const shown = pageRows(matching, url, DLQ_TOPICS_PAGE_SIZE);
  const pager = (
    <Pager {...shown} noun={filter ? "matching dead-letter topics" : "dead-letter topics"} />
  );
  return (
    <main class="page wide">
      <ConsoleNav url={url} state={state} />
      <h1>Dead letters</h1>
      <p class="lead">
        A message a consumer could not process lands, unchanged, in <code>&lt;topic&gt;.dlq</code>
        {" "}
        with headers saying why. An operator can send it back to its topic once the cause is fixed
        (redrive); each dead letter goes back at most once unless the operator repeats it.
      </p>
      <form method="get" action="/console/dlq" class="inline-form">
        <label>
          Name contains <input name="q" value={filter} />
        </label>{" "}
        <button type="submit">Filter</button>
      </form>
      {pager}
      {matching.length === 0
        ? <p class="empty">No dead-letter topic.</p>
        : (
          <table class="dlq-topics">
            <thead>
              <tr>
                <th>Topic</th>
                <th class="num">Dead letters</th>
                <th>Newest arrivals</th>
              </tr>
            </thead>
            <tbody>
              {shown.rows.map((t) => (
                <tr key={t.topic} data-topic={t.topic}>
                  <td>
                    <a href={`/console/dlq/${encodeURIComponent(t.topic)}`}>{t.topic}</a>
                    <br />
                    <span class="muted">
                      back to {t.originalTopic ?? "the topic each dead letter's headers name"}
                    </span>
                  </td>
                  <td class="num">{count(t.count)}</td>
                  <td>
                    {t.newest.length === 0
                      ? <span class="muted">none</span>
                      : t.newest.map((letter) => (
                        <div class="arrival" key={`${letter.partition}:${letter.offset}`}>
                          <a href={letter.links.self}>
                            <Time at={letter.timestamp} />
                          </a>
                          <DeadLetterSummary letter={letter} />
                        </div>
                      ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      {shown.total > DLQ_TOPICS_PAGE_SIZE && pager}
    </main>
  );
}

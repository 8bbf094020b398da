/**
 * `/console/groups/:group`: a consumer group's state, members and
 * committed offsets with lag; for operators, reset offsets and delete the
 * group when it is empty, each asking once with what will happen: a reset
 * posted without `confirm=1` is previewed (partitions, messages read again
 * or skipped) with one button that applies it; a delete without
 * `confirm=<group>` shows the offsets that would go (the JSON API needs
 * no such step). For Freshet's own
 * consumers, whose offsets live in SQLite, the page says so and shows how
 * that consumer replays instead. Lag charts are on the monitor's
 * `/groups/:group`.
 */
import {
  type Handlers,
  HttpError,
  type PageProps,
  type RouteAccess,
  type RouteContext,
} from "../../../shared/web/mod.ts";
import { ConsoleNav } from "../../../services/console/web/console_nav.tsx";
import {
  DeleteGroupForm,
  ResetConfirm,
  ResetForm,
} from "../../../services/console/web/group_forms.tsx";
import { count } from "../../../services/console/web/format.ts";
import {
  describeGroup,
  type GroupDetail,
  INACTIVE_STATES,
} from "../../../services/console/groups/group_detail.ts";
import {
  type FreshetConsumer,
  freshetConsumerOf,
} from "../../../services/console/groups/freshet_groups.ts";
import { parseReset } from "../../../services/console/groups/reset_input.ts";
import type { OffsetChange } from "../../../services/console/groups/reset_offsets.ts";
import {
  deleteGroupAction,
  resetOffsetsAction,
} from "../../../services/console/groups/group_actions.ts";
import { consoleHttpError, formProblem } from "../../../services/console/kafka_http_error.ts";
import {
  GroupMembers,
  GroupProtocol,
} from "../../../services/console/groups/web/group_members.tsx";
import { consoleWeb } from "../../../services/console/web/console_part.ts";
import {
  type StuckPartition,
  stuckPartitions,
} from "../../../services/console/stuck/stuck_partitions.ts";
import { StuckLinks } from "../../../services/console/stuck/web/stuck_links.tsx";
import { gapsOfGroup } from "../../../shared/consumer/gaps.ts";
import { GapsTable, type GapsTableProps } from "../../../shared/consumer/gaps_table.tsx";
import { formValues, readForm } from "../../../shared/web/form_body.ts";

/** The page title. */
export const title = "Group · Console · Freshet";

/** What the page shows. */
export interface GroupPageData {
  group: GroupDetail;
  freshet?: FreshetConsumer;
  /** Gaps its Freshet consumers accepted or rebuilt past. */
  gaps: GapsTableProps["gaps"];
  /** The group's own topics (committed to or assigned), then the others. */
  ownTopics: string[];
  otherTopics: string[];
  intent?: string;
  values: Record<string, string>;
  problems: string[];
  preview?: OffsetChange[];
  /** A delete asked: show what it removes and ask once. */
  confirmDelete?: boolean;
  notice?: string;
  /** Partitions the monitor last saw not OK, with the record each is on. */
  stuck?: StuckPartition[];
}

async function load(ctx: RouteContext<GroupPageData>) {
  const groupId = ctx.params.group;
  const running = ctx.services.statuses.list().map((r) => r.status.groupId);
  try {
    const admin = await ctx.services.part(consoleWeb).kafka.admin();
    const group = await describeGroup(admin, groupId, {
      cluster: await ctx.services.part(consoleWeb).kafka.cluster(),
    });
    const all = (await admin.listTopics()).filter((t) => !t.startsWith("__")).sort();
    const own = [
      ...new Set([
        ...group.offsets.map((o) => o.topic),
        ...group.members.flatMap((m) => m.assignment.map((a) => a.topic)),
      ]),
    ].sort();
    return {
      group,
      freshet: freshetConsumerOf(groupId, { services: ctx.services, running }),
      gaps: gapsOfGroup(ctx.services.statuses.list().map((r) => r.status), groupId),
      ownTopics: own,
      otherTopics: all.filter((t) => !own.includes(t)),
      stuck: stuckPartitions(ctx.services, groupId),
    };
  } catch (error) {
    throw consoleHttpError(error, `describing group ${groupId}`);
  }
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = {
  GET: "viewer",
  POST: { role: "operator", audit: "group.change" },
};

/** GET: the page; POST: reset (or preview) offsets, or delete the group. */
export const handler: Handlers<GroupPageData> = {
  async GET(_req, ctx) {
    const reset = ctx.url.searchParams.get("reset");
    return ctx.render({
      ...await load(ctx),
      values: {},
      problems: [],
      notice: reset ? `Offsets of ${reset} reset.` : undefined,
    });
  },
  async POST(req, ctx) {
    const groupId = ctx.params.group;
    const form = await readForm(req);
    const values = formValues(form);
    const intent = values.intent;
    let problems: string[] = [];
    let preview: OffsetChange[] | undefined;
    let confirmDelete = false;
    let status = 400;
    try {
      if (intent === "delete") {
        if (values.confirm !== groupId) {
          confirmDelete = true;
          if (values.confirm) problems = [`confirm names ${values.confirm}, not ${groupId}`];
          else status = 200;
          return ctx.render(
            { ...await load(ctx), intent, values, problems, confirmDelete },
            { status },
          );
        }
        await deleteGroupAction(ctx, groupId);
        const location = `/console/groups?deleted=${encodeURIComponent(groupId)}`;
        return new Response(null, { status: 303, headers: { location } });
      }
      if (intent !== "reset") throw new HttpError(400, "unknown intent (expected reset or delete)");
      const parsed = parseReset(values);
      if (!parsed.ok) problems = parsed.problems;
      else {
        if (values.confirm !== "1") parsed.value.dryRun = true;
        const outcome = await resetOffsetsAction(ctx, groupId, parsed.value);
        if (!outcome.dryRun) {
          const location = `/console/groups/${encodeURIComponent(groupId)}?reset=${
            encodeURIComponent(parsed.value.topic)
          }`;
          return new Response(null, { status: 303, headers: { location } });
        }
        preview = outcome.changes;
        status = 200;
      }
    } catch (error) {
      const failed = formProblem(error, `${intent} on ${groupId}`);
      problems = [failed.problem];
      status = failed.status;
      confirmDelete = intent === "delete";
    }
    return ctx.render(
      { ...await load(ctx), intent, values, problems, preview, confirmDelete },
      { status },
    );
  },
};

function offsetsByTopic(group: GroupDetail) {
  const byTopic = new Map<string, { topic: string; partitions: number; lag: number | null }>();
  for (const o of group.offsets) {
    const entry = byTopic.get(o.topic) ?? { topic: o.topic, partitions: 0, lag: 0 };
    entry.partitions++;
    entry.lag = entry.lag === null || o.lag === null ? null : entry.lag + o.lag;
    byTopic.set(o.topic, entry);
  }
  return [...byTopic.values()];
}

/** The page. */
export default function Group({ data, url, state }: PageProps<GroupPageData>) {
  const { group } = data;
  const operator = state.user?.role === "operator";
  const inactive = INACTIVE_STATES.has(group.state) && group.members.length === 0;
  return (
    <main class="page wide">
      <ConsoleNav url={url} state={state} />
      <h1 class="break">{group.groupId}</h1>
      {data.notice && <p class="notice" role="status">{data.notice}</p>}
      <p>
        State <strong>{group.state}</strong> · {group.members.length} member(s) ·{" "}
        {group.type === "consumer" ? "consumer protocol" : group.protocolType || "no protocol"} ·
        {" "}
        <a href={`/groups/${encodeURIComponent(group.groupId)}`}>lag charts</a>
      </p>
      <GroupProtocol group={group} />
      {data.freshet && (
        <div class="notice" role="note">
          <p>
            <strong>Freshet's {data.freshet.consumer} consumer.</strong>{" "}
            Its offsets live in its SQLite database, committed with its rows; Kafka's committed
            offsets are a copy for lag display, so a Kafka reset would silently do nothing.
          </p>
          <p>{data.freshet.replay}</p>
          {data.freshet.command && (
            <p>
              <code>{data.freshet.command}</code>
            </p>
          )}
        </div>
      )}
      {group.members.length > 0 && (
        <section aria-labelledby="members-title">
          <h2 id="members-title">Members</h2>
          <GroupMembers group={group} />
        </section>
      )}
      <StuckLinks stuck={data.stuck ?? []} />
      <GapsTable gaps={data.gaps} />
      <section aria-labelledby="offsets-title">
        <h2 id="offsets-title">Committed offsets</h2>
        {group.offsets.length === 0
          ? <p class="muted">No committed offset.</p>
          : (
            <table class="offsets">
              <thead>
                <tr>
                  <th>Topic</th>
                  <th class="num">Partition</th>
                  <th class="num">Committed</th>
                  <th class="num">Start</th>
                  <th class="num">End</th>
                  <th class="num">Lag</th>
                </tr>
              </thead>
              <tbody>
                {group.offsets.map((o) => (
                  <tr
                    key={`${o.topic}:${o.partition}`}
                    data-partition={`${o.topic}:${o.partition}`}
                    data-offline={o.offline ? "" : undefined}
                  >
                    <td class="break">
                      <a href={`/console/topics/${encodeURIComponent(o.topic)}`}>{o.topic}</a>
                    </td>
                    <td class="num">{o.partition}</td>
                    <td class="num">{o.committed ?? "—"}</td>
                    {o.offline
                      ? (
                        <td class="num" colSpan={3} title="no leader: its brokers are down">
                          offline: no leader
                        </td>
                      )
                      : (
                        <>
                          <td class="num">{count(o.start)}</td>
                          <td class="num">{count(o.end)}</td>
                          <td class="num">{o.lag === null ? "—" : count(o.lag)}</td>
                        </>
                      )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
      </section>
      {operator && !data.freshet && (
        <>
          {!inactive && (
            <p class="warn">
              The group has active members: a reset is refused until they stop (a preview works).
            </p>
          )}
          <ResetForm
            groupId={group.groupId}
            ownTopics={data.ownTopics}
            otherTopics={data.otherTopics}
            state={state}
            values={data.intent === "reset" ? data.values : {}}
            problems={data.intent === "reset" ? data.problems : []}
          >
            {data.preview && (
              <ResetConfirm
                groupId={group.groupId}
                values={data.values}
                changes={data.preview}
                active={!inactive}
                state={state}
              />
            )}
          </ResetForm>
          {inactive && (
            <DeleteGroupForm
              groupId={group.groupId}
              state={state}
              problems={data.intent === "delete" ? data.problems : []}
              confirming={data.confirmDelete === true}
              offsets={offsetsByTopic(group)}
            />
          )}
        </>
      )}
    </main>
  );
}

/**
 * The consumer-group changes of the console, for the pages and the JSON
 * API: reset offsets (a dry run previews; a real one is refused while the
 * group has members and for Freshet's own consumers) and delete an empty
 * group. Operator only; audited, previews and refusals included.
 */
import { HttpError } from "../../../shared/web/http_error.ts";
import { audit } from "../../../shared/web/auth/mod.ts";
import { type ActionContext, audited, requireOperator } from "../audited.ts";
import { freshetConsumerOf } from "./freshet_groups.ts";
import { describeGroup, INACTIVE_STATES } from "./group_detail.ts";
import { describeTarget, type ResetRequest } from "./reset_input.ts";
import { assertInactive, commitOffsets, type OffsetChange, planReset } from "./reset_offsets.ts";
import { consoleWeb } from "../web/console_part.ts";

/** What a reset did (or would do). */
export interface ResetOutcome {
  groupId: string;
  dryRun: boolean;
  changes: OffsetChange[];
}

function runningGroups(ctx: ActionContext): string[] {
  return ctx.services.statuses.list().map((r) => r.status.groupId);
}

/** Throws 409 for a group whose offsets live in a Freshet consumer's SQLite. */
function refuseFreshetGroup(ctx: ActionContext, groupId: string): void {
  const owner = freshetConsumerOf(groupId, {
    services: ctx.services,
    running: runningGroups(ctx),
  });
  if (owner) {
    throw new HttpError(
      409,
      `${groupId} is Freshet's ${owner.consumer} consumer: its offsets live in its SQLite ` +
        `database and a Kafka reset would do nothing. ${owner.replay}` +
        (owner.command ? ` (${owner.command})` : ""),
    );
  }
}

/** Previews or applies `request` to `groupId`. */
export async function resetOffsetsAction(
  ctx: ActionContext,
  groupId: string,
  request: ResetRequest,
): Promise<ResetOutcome> {
  const action = "group.offsets.reset";
  const target = `group:${groupId}`;
  requireOperator(ctx, action, target);
  const params = {
    topic: request.topic,
    partition: request.partition ?? "all",
    to: describeTarget(request.to),
  };
  const admin = await ctx.services.part(consoleWeb).kafka.admin();
  const groups = { cluster: await ctx.services.part(consoleWeb).kafka.cluster() };
  const refuse = (error: unknown): never => {
    audit(ctx, {
      action,
      target,
      result: "refused",
      detail: { ...params, dryRun: request.dryRun, error: (error as Error).message },
    });
    throw error;
  };
  try {
    refuseFreshetGroup(ctx, groupId);
    if (!request.dryRun) await assertInactive(admin, groupId, "reset offsets", groups);
    else await describeGroup(admin, groupId, groups);
  } catch (error) {
    if (error instanceof HttpError && [404, 409].includes(error.status)) refuse(error);
    throw error;
  }
  const changes = await planReset(admin, groups.cluster, groupId, request);
  const summary = changes.map((c) => `${c.topic}:${c.partition} ${c.from ?? "—"}→${c.to}`);
  if (request.dryRun) {
    audit(ctx, { action, target, result: "dry-run", detail: { ...params, changes: summary } });
    return { groupId, dryRun: true, changes };
  }
  await audited(ctx, {
    action,
    target,
    params: { ...params, changes: summary },
    what: `resetting the offsets of ${groupId}`,
  }, async () => {
    await assertInactive(admin, groupId, "reset offsets", groups);
    await commitOffsets(await ctx.services.part(consoleWeb).kafka.cluster(), groupId, changes);
  });
  return { groupId, dryRun: false, changes };
}

/** Deletes the empty group `groupId`. */
export async function deleteGroupAction(ctx: ActionContext, groupId: string): Promise<void> {
  const action = "group.delete";
  const target = `group:${groupId}`;
  requireOperator(ctx, action, target);
  const admin = await ctx.services.part(consoleWeb).kafka.admin();
  try {
    await assertInactive(admin, groupId, "delete the group", {
      cluster: await ctx.services.part(consoleWeb).kafka.cluster(),
    });
  } catch (error) {
    if (error instanceof HttpError && [404, 409].includes(error.status)) {
      audit(ctx, { action, target, result: "refused", detail: error.message });
    }
    throw error;
  }
  await audited(ctx, { action, target, what: `deleting group ${groupId}` }, async () => {
    await admin.deleteGroups([groupId]);
  });
}

/** Whether a group in `state` with `members` may be reset or deleted. */
export function isInactive(state: string, members: number): boolean {
  return INACTIVE_STATES.has(state) && members === 0;
}

import assert from "node:assert/strict";
import { openDatabase } from "../../shared/sqlite/sqlite.ts";
import { ALERTS_MIGRATIONS } from "./alerts_db.ts";
import { listAlerts, listEvents } from "./alert_store.ts";
import type { ClusterView, GroupSample, Snapshot } from "./conditions/snapshot.ts";
import { AlertsEngine } from "./engine.ts";
import { listDeliveries } from "./notify/deliveries.ts";
import { parseRules } from "./rules/rules_file.ts";
import { addSilence } from "./silences.ts";

const HOOK = { url: "http://127.0.0.1:9/hook", format: "json" as const };

/** An engine on an in-memory database whose snapshot a test sets before each evaluation. */
function world(rulesText: string) {
  const db = openDatabase(":memory:", { migrations: ALERTS_MIGRATIONS });
  let rules = parseRules(rulesText);
  const snap: Omit<Snapshot, "now"> = {
    topicPrefix: "",
    monitor: { sampleMs: 1_000, groups: [], topicTotals: new Map() },
    consumers: [],
    staleAfterMs: 10_000,
  };
  const engine = new AlertsEngine({
    db: () => db,
    rules: () => rules,
    snapshot: (_rules, now) => Promise.resolve({ ...snap, now }),
    webhooks: [HOOK],
  });
  return {
    db,
    snap,
    engine,
    setRules: (text: string) => (rules = parseRules(text)),
    group: (g: Partial<GroupSample> & { group: string }, at: number): GroupSample => ({
      lag: 0,
      lagMs: 0,
      status: "OK",
      error: null,
      at,
      ...g,
    }),
    sent: () =>
      listDeliveries(db, { limit: 100 }).reverse().map((d) => {
        const body = JSON.parse(d.body);
        return `${body.status ?? "slack"} ${d.rule} ${d.instance}${
          body.repeat ? ` #${body.repeat}` : ""
        }`;
      }),
    events: () =>
      listEvents(db, { limit: 100 }).reverse().map((e) => `${e.event} ${e.rule} ${e.instance}`),
  };
}

Deno.test("alerts engine - lag above target for a time: fires once, repeats, resolves once", async () => {
  const w = world("slow lag group=g-* above=30s for=10s repeat=1m");
  const at = (t: number, lagMs: number | null) => {
    w.snap.monitor!.groups = [w.group({ group: "g-1", lag: 5, lagMs }, t)];
  };
  for (
    const [t, lag] of [[0, 40_000], [5_000, 45_000], [10_000, 50_000], [20_000, 60_000]] as const
  ) {
    at(t, lag);
    await w.engine.evaluate(t);
  }
  assert.deepEqual(w.sent(), ["firing slow g-1"]);
  const [alert] = listAlerts(w.db, "slow");
  assert.equal(alert.state, "firing");
  assert.match(alert.summary, /group g-1 is 1m behind \(5 messages; target ≤ 30s\)/);
  at(71_000, 60_000);
  await w.engine.evaluate(71_000);
  assert.deepEqual(w.sent(), ["firing slow g-1", "firing slow g-1 #1"]);
  at(80_000, 0);
  await w.engine.evaluate(80_000);
  at(81_000, 0);
  await w.engine.evaluate(81_000);
  assert.deepEqual(w.sent(), ["firing slow g-1", "firing slow g-1 #1", "resolved slow g-1"]);
  const bodies = listDeliveries(w.db, { limit: 10 }).map((d) => JSON.parse(d.body));
  assert.equal(new Set(bodies.map((b) => b.dedupKey)).size, 1, "one episode, one key");
  assert.equal(bodies[0].endsAt, new Date(80_000).toISOString());
  assert.deepEqual(listAlerts(w.db), []);
});

Deno.test("alerts engine - a stale or unknown sample keeps the alert as it was", async () => {
  const w = world("stuck status is=STALL");
  w.snap.monitor!.groups = [w.group({ group: "g", status: "STALL" }, 0)];
  await w.engine.evaluate(0);
  await w.engine.evaluate(60_000); // the sample is a minute old: nothing is known
  assert.deepEqual(w.sent(), ["firing stuck g"]);
  assert.equal(listAlerts(w.db)[0].state, "firing");
  w.snap.monitor = undefined; // no monitor database: the rule cannot observe
  const report = await w.engine.evaluate(61_000);
  assert.deepEqual(report.unknown, ["stuck"]);
  assert.equal(listAlerts(w.db).length, 1);
});

Deno.test("alerts engine - silences hold back notifications, history keeps everything", async () => {
  const w = world("stuck status is=STALL,STOP");
  addSilence(w.db, {
    rule: "stu*",
    instance: "g",
    comment: "known",
    createdBy: "operator",
    createdAt: 0,
    endsAt: 5_000,
  });
  w.snap.monitor!.groups = [w.group({ group: "g", status: "STOP" }, 1_000)];
  await w.engine.evaluate(1_000);
  assert.deepEqual(w.sent(), []);
  w.snap.monitor!.groups = [w.group({ group: "g", status: "STOP" }, 6_000)];
  await w.engine.evaluate(6_000); // the silence has ended: sent now
  w.snap.monitor!.groups = [w.group({ group: "g", status: "OK" }, 7_000)];
  await w.engine.evaluate(7_000);
  assert.deepEqual(w.sent(), ["firing stuck g", "resolved stuck g"]);
  assert.deepEqual(w.events().slice(1), ["silenced stuck g", "firing stuck g", "resolved stuck g"]);
});

Deno.test("alerts engine - rules applied idempotently; a removed rule's alerts resolve", async () => {
  const w = world("a status is=STOP\nb status is=STALL");
  w.snap.monitor!.groups = [w.group({ group: "g", status: "STOP" }, 0)];
  let report = await w.engine.evaluate(0);
  assert.deepEqual(report.applied.added, ["a", "b"]);
  report = await w.engine.evaluate(500);
  assert.deepEqual(report.applied, { added: [], changed: [], removed: [], unchanged: 2 });
  w.setRules("b status is=STALL,STOP");
  w.snap.monitor!.groups = [w.group({ group: "g", status: "STOP" }, 1_000)];
  report = await w.engine.evaluate(1_000);
  assert.deepEqual(report.applied, { added: [], changed: ["b"], removed: ["a"], unchanged: 0 });
  assert.deepEqual(w.sent(), ["firing a g", "resolved a g", "firing b g"]);
  assert.match(listEvents(w.db, { limit: 1 })[0].summary, /./);
  assert.ok(w.events().includes("rules  "));
});

Deno.test("alerts engine - dead letters: the first evaluation only counts, new arrivals fire until quiet", async () => {
  const w = world("dl dlq topic=* quiet=10s");
  const totals = w.snap.monitor!.topicTotals;
  totals.set("orders.created.dlq", 7).set("orders.created", 1_000);
  await w.engine.evaluate(0);
  assert.deepEqual(w.sent(), [], "dead letters from before alerting began do not fire");
  totals.set("orders.created.dlq", 8);
  await w.engine.evaluate(1_000);
  totals.set("payments.DLT", 1); // a new dead-letter topic with its first letter
  await w.engine.evaluate(2_000);
  totals.set("orders.created.dlq", 9);
  await w.engine.evaluate(5_000);
  assert.deepEqual(w.sent(), ["firing dl orders.created.dlq", "firing dl payments.DLT"]);
  await w.engine.evaluate(14_000);
  await w.engine.evaluate(16_000);
  assert.deepEqual(w.sent(), [
    "firing dl orders.created.dlq",
    "firing dl payments.DLT",
    "resolved dl payments.DLT",
    "resolved dl orders.created.dlq",
  ]);
});

Deno.test("alerts engine - consumers failed, restarting, silent", async () => {
  const w = world("c consumer for=0s");
  const consumer = (state: string, receivedAt: number) => ({
    name: "orders",
    groupId: "orders-service",
    state,
    receivedAt,
    lastError: state === "failed" ? "boom" : undefined,
  });
  w.snap.consumers = [consumer("running", 0)];
  await w.engine.evaluate(0);
  w.snap.consumers = [consumer("failed", 1_000)];
  await w.engine.evaluate(1_000);
  assert.match(listAlerts(w.db)[0].summary, /is failed: boom/);
  w.snap.consumers = [consumer("rejoining", 2_000)];
  await w.engine.evaluate(2_000);
  w.snap.consumers = [consumer("running", 3_000)];
  await w.engine.evaluate(3_000);
  await w.engine.evaluate(20_000); // no report for 17 s
  assert.match(listAlerts(w.db)[0].summary, /silent for 17s/);
  assert.deepEqual(w.sent(), ["firing c orders", "resolved c orders", "firing c orders"]);
});

Deno.test("alerts engine - partitions and brokers from the cluster's metadata", async () => {
  const w = world("p partitions for=0s\nb broker for=0s forget=1m");
  const cluster = (live: number[], isr: number[]): ClusterView => ({
    brokers: live.map((id) => ({ id, host: `127.0.0.6${id}:1` })),
    topics: [{
      name: "t",
      partitions: [{ partition: 0, leader: live[0] ?? -1, replicas: [1, 2, 3], isr }],
    }],
  });
  w.snap.cluster = cluster([1, 2, 3], [1, 2, 3]);
  await w.engine.evaluate(0);
  assert.deepEqual(w.sent(), []);
  w.snap.cluster = cluster([1, 3], [1, 3]);
  await w.engine.evaluate(1_000);
  assert.deepEqual(w.sent(), ["firing p under-replicated", "firing b broker 2"]);
  assert.match(
    listAlerts(w.db, "p")[0].summary,
    /1 under-replicated partition\(s\) in 1 topic\(s\): t \(0\)/,
  );
  w.snap.cluster = { error: "Connection error" };
  await w.engine.evaluate(2_000);
  assert.deepEqual(w.sent().slice(2), ["firing b cluster"]);
  w.snap.cluster = cluster([1, 2, 3], [1, 2, 3]);
  await w.engine.evaluate(3_000);
  assert.deepEqual(w.sent().slice(3).sort(), [
    "resolved b broker 2",
    "resolved b cluster",
    "resolved p under-replicated",
  ]);
  w.snap.cluster = cluster([1, 3], [1, 2, 3]);
  await w.engine.evaluate(4_000);
  await w.engine.evaluate(70_000); // gone longer than forget: decommissioned
  assert.deepEqual(w.sent().slice(6), ["firing b broker 2", "resolved b broker 2"]);
});

Deno.test("alerts engine - a test notification goes to every webhook once", () => {
  const w = world(
    "a status webhook=http://127.0.0.1:9/hook webhook=slack:http://127.0.0.1:9/slack",
  );
  const ids = w.engine.sendTest("operator", 0);
  assert.equal(ids.length, 2);
  const [json, slack] = listDeliveries(w.db, { ids });
  assert.equal(JSON.parse(json.body).status, "test");
  assert.match(JSON.parse(slack.body).text, /\[TEST\] test .*sent by operator/);
});

/**
 * Alerts end to end against the real broker: the real app evaluating
 * every second, the monitor sampling a group on a random prefix, and a
 * real webhook receiver on loopback. A group stopped until its objective
 * fails (lag rule and status rule), a dead letter produced (dlq rule), a
 * consumer failing (consumer rule): each fires once and resolves once; a
 * silence holds a firing back and is audited; a test notification, the
 * Slack body, a receiver that refuses at first (retried), the group
 * page's objective and error budget, and /alerts.
 */
import assert from "node:assert/strict";
import type { Consumer } from "kafkajs";
import { ConsumerStore } from "../shared/web/consumer_store.ts";
import { produce, waitFor } from "./helpers.ts";
import { monitorFixture } from "./monitor_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";
import { statusOf } from "./web_helpers.ts";
import { basic, testAuth } from "./auth_helpers.ts";
import { consoleCaller } from "./console_helpers.ts";
import { counts, webhookReceiver } from "./alerts_helpers.ts";

Deno.test({
  name: "alerts - each rule fires once and resolves once at a real webhook; silences respected",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const fx = await monitorFixture("alerts");
    const receiver = webhookReceiver();
    const topic = await fx.createTopic("orders", 2);
    const dlq = await fx.createTopic("orders.dlq", 1);
    const group = `${fx.prefix}payments`;
    const statuses = new ConsumerStore();
    const rulesText = [
      "slow    lag       group=*payments  above=3s  objective=99%  window=10m  for=2s  repeat=0",
      "stuck   status    group=*payments  is=STOP,STALL  repeat=0",
      `dl      dlq       topic=*  quiet=6s  repeat=0  webhook=slack:${receiver.url("/slack")}`,
      "workers consumer  consumer=*  for=0s  repeat=0",
    ].join("\n");
    receiver.fail(2); // the first two deliveries are refused: retried, never lost
    const { app, shutdown } = await createWorldApp(fx, {
      statuses,
      auth: testAuth(),
      alerts: {
        evaluate: true,
        intervalMs: 1_000,
        rulesText,
        env: { FRESHET_ALERT_WEBHOOK_URL: receiver.url() },
        delivery: { pollMs: 50, backoffMs: () => 300, timeoutMs: 2_000 },
      },
    });
    const call = consoleCaller(app);
    const consumers: Consumer[] = [];
    const consume = async () => {
      const consumer = fx.kafka.consumer({ groupId: group, maxWaitTimeInMs: 100 });
      consumers.push(consumer);
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ autoCommitInterval: 200, eachMessage: async () => {} });
      return consumer;
    };
    let producing = true;
    const producer = (async () => {
      let i = 0;
      while (producing) {
        await produce(fx.kafka, topic, [{ key: `k${i++}`, value: "x" }, {
          key: `k${i++}`,
          value: "y",
        }]);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const lines = () => counts(receiver.lines());
    const alertState = async (rule: string) => {
      const { body } = await call("viewer", "GET", "/api/alerts");
      return body.rules.find((r: { name: string }) => r.name === rule);
    };
    const groupPage = async () => {
      const res = await app.fetch(new Request(`http://127.0.0.1/groups/${group}`));
      return await res.text();
    };
    try {
      const monitor = fx.monitor();
      await monitor.start();
      const first = await consume();
      await waitFor("the group sampled, consuming", async () => {
        const page = await groupPage();
        return page.includes("status-OK") && page.includes('data-field="objective"');
      }, 60_000);

      await t.step("consuming: nothing fires", async () => {
        await new Promise((r) => setTimeout(r, 3_000));
        assert.deepEqual(receiver.received, []);
        assert.equal((await alertState("slow")).state, "ok");
      });

      await t.step(
        "the group stopped: lag and status fire once each, the objective fails",
        async () => {
          await first.disconnect();
          await waitFor("lag and STOP notified", () => {
            const l = lines();
            return l[`firing slow ${group}`] === 1 && l[`firing stuck ${group}`] === 1;
          }, 60_000);
          const page = await groupPage();
          assert.match(page, /the objective is failing/);
          assert.match(page, /≤ 3s behind, 99 % of the time/);
          const slow = await alertState("slow");
          assert.equal(slow.state, "firing");
          assert.match(slow.alerts[0].summary, new RegExp(`group ${group} is .* behind`));
        },
      );

      await t.step("resumed: both resolve once", async () => {
        await consume();
        await waitFor("lag and status resolved", () => {
          const l = lines();
          return l[`resolved slow ${group}`] === 1 && l[`resolved stuck ${group}`] === 1;
        }, 90_000);
      });

      await t.step(
        "a dead letter: fires once, resolves once after the quiet time (both bodies)",
        async () => {
          await produce(fx.kafka, dlq, [{
            key: "k",
            value: "poison",
            headers: { dlq_error: "bad" },
          }]);
          await waitFor("dead letter resolved", () => lines()[`resolved dl ${dlq}`] === 1, 60_000);
          assert.equal(lines()[`firing dl ${dlq}`], 1);
          const slack = receiver.received.filter((r) => r.path === "/slack").map((r) =>
            r.body.text
          );
          assert.equal(slack.length, 2, JSON.stringify(slack));
          assert.match(
            slack[0],
            new RegExp(
              `^:red_circle: \\[FIRING\\] dl \\(warning\\) · ${dlq}: dead letters arriving`,
            ),
          );
          assert.match(slack[1], /^:large_green_circle: \[RESOLVED\] dl/);
        },
      );

      await t.step("a consumer failing, then running: fires once, resolves once", async () => {
        const report = { name: "payments", groupId: group };
        statuses.update(statusOf({ ...report, state: "failed", lastError: "disk full" }));
        await waitFor("consumer fired", () => lines()["firing workers payments"] === 1, 20_000);
        statuses.update(statusOf({ ...report, state: "running" }));
        await waitFor(
          "consumer resolved",
          () => lines()["resolved workers payments"] === 1,
          20_000,
        );
        const fired = receiver.received.find((r) => r.body.rule === "workers")!.body;
        assert.match(fired.summary, /consumer payments .* is failed: disk full/);
      });

      await t.step("a silence holds the next firing back, and is audited", async () => {
        assert.equal(
          (await call("viewer", "POST", "/api/alerts/silences", {
            rule: "dl",
            duration: "1h",
            comment: "x",
          }))
            .status,
          403,
        );
        const bad = await call("operator", "POST", "/api/alerts/silences", { rule: "dl" });
        assert.equal(bad.status, 400);
        assert.deepEqual(bad.body.error.problems, [
          "comment: say why (at most 500 characters)",
          "duration: such as 30m, 2h, 1d (or give endsAt)",
        ]);
        const { status, body: silence } = await call("operator", "POST", "/api/alerts/silences", {
          rule: "dl",
          instance: dlq,
          duration: "1h",
          comment: "replaying the poison records on purpose",
        });
        assert.equal(status, 201, JSON.stringify(silence));
        const before = receiver.received.length;
        await produce(fx.kafka, dlq, [{ key: "k2", value: "poison again" }]);
        await waitFor("the silenced alert fired and resolved in the history", async () => {
          const { body } = await call("viewer", "GET", "/api/alerts/history?rule=dl&limit=10");
          const events = body.events.map((e: { event: string }) => e.event);
          return events[0] === "resolved" && events[1] === "silenced";
        }, 60_000);
        assert.equal(receiver.received.length, before, "nothing was sent while silenced");
        const ended = await call("operator", "DELETE", `/api/alerts/silences/${silence.id}`);
        assert.equal(ended.status, 200);
        assert.equal(
          (await call("operator", "DELETE", `/api/alerts/silences/${silence.id}`)).status,
          404,
        );
        const audit = await call("viewer", "GET", "/api/audit?action=alerts&limit=20");
        const actions = audit.body.entries.map((e: { action: string; result: string }) =>
          `${e.action} ${e.result}`
        );
        for (const a of ["alerts.silence ok", "alerts.unsilence ok", "alerts.silence refused"]) {
          assert.ok(actions.includes(a), `${a} in ${actions}`);
        }
      });

      await t.step("a test notification reaches the receiver (operator only)", async () => {
        assert.equal((await call("viewer", "POST", "/api/alerts/test")).status, 403);
        const { status, body } = await call("operator", "POST", "/api/alerts/test");
        assert.equal(status, 200, JSON.stringify(body));
        assert.deepEqual(body.deliveries.map((d: { state: string }) => d.state), ["sent", "sent"]);
        assert.equal(body.deliveries[0].url, `${receiver.url("/")}…`);
        assert.ok(receiver.received.some((r) => r.body.status === "test" && r.path === "/hook"));
      });

      await t.step(
        "every rule fired once and resolved once; the refused deliveries were retried",
        () => {
          const l = lines();
          for (
            const [rule, instance] of [["slow", group], ["stuck", group], ["dl", dlq], [
              "workers",
              "payments",
            ]]
          ) {
            assert.equal(
              l[`firing ${rule} ${instance}`],
              1,
              `${rule} firing: ${JSON.stringify(l)}`,
            );
            assert.equal(
              l[`resolved ${rule} ${instance}`],
              1,
              `${rule} resolved: ${JSON.stringify(l)}`,
            );
          }
          const keys = receiver.received.filter((r) => r.body.rule === "slow").map((r) =>
            r.body.dedupKey
          );
          assert.equal(new Set(keys).size, 1, "one episode, one de-duplication key");
        },
      );

      await t.step("/alerts shows the rules, history and deliveries", async () => {
        const res = await app.fetch(
          new Request("http://127.0.0.1/alerts", { headers: basic("viewer") }),
        );
        const html = await res.text();
        assert.equal(res.status, 200);
        for (const rule of ["slow", "stuck", "dl", "workers"]) {
          assert.match(html, new RegExp(`data-rule="${rule}"`));
        }
        assert.match(html, /data-event="silenced"/);
        assert.match(html, /data-state="sent"/);
        assert.doesNotMatch(html, /name="intent" value="test"/, "a viewer gets no forms");
      });
    } finally {
      producing = false;
      await producer.catch(() => {});
      await Promise.allSettled(consumers.map((c) => c.disconnect()));
      shutdown();
      await receiver.close();
      await fx.close();
    }
  },
});

import assert from "node:assert/strict";
import { DEFAULT_RULES_FILE, parseRules, readRules, RulesFileError } from "./rules_file.ts";
import { globMatches, matchesScoped } from "./rule.ts";
import { parseWebhookList, webhookHost } from "./webhooks.ts";

function problems(text: string): string[] {
  try {
    parseRules(text);
  } catch (error) {
    assert.ok(error instanceof RulesFileError);
    return error.problems;
  }
  throw new Error("expected problems");
}

Deno.test("alerts.txt - the project's own file parses, one rule of each kind", async () => {
  const rules = await readRules(DEFAULT_RULES_FILE);
  assert.deepEqual(rules.map((r) => r.kind).sort(), [
    "broker",
    "consumer",
    "dlq",
    "lag",
    "partitions",
    "status",
  ]);
  const lag = rules.find((r) => r.kind === "lag")!;
  assert.equal(lag.kind === "lag" && lag.objective, 0.99);
  assert.equal(lag.kind === "lag" && lag.aboveMs, 30_000);
});

Deno.test("parseRules - each kind with its keys and defaults", async (t) => {
  await t.step("lag: target, objective, window; defaults for the rest", () => {
    const [rule] = parseRules("slow  lag  group=pay-*  above=30s  objective=99.9%  window=1d\n");
    assert.deepEqual(rule, {
      name: "slow",
      line: 1,
      kind: "lag",
      group: "pay-*",
      aboveMs: 30_000,
      objective: 0.999,
      windowMs: 86_400_000,
      forMs: 60_000,
      repeatMs: 4 * 3_600_000,
      severity: "warning",
      webhooks: [],
    });
  });
  await t.step("status, dlq, consumer, partitions, broker", () => {
    const rules = parseRules([
      "# comment",
      "",
      "a status is=STALL for=10s repeat=0 severity=critical",
      "b dlq topic=orders.* quiet=1m  # trailing comment",
      "c consumer is=failed,stale webhook=http://127.0.0.1:9/x webhook=slack:https://chat.example/hook",
      "d partitions is=offline",
      "e broker forget=2h",
    ].join("\n"));
    assert.deepEqual(rules.map((r) => [r.name, r.line, r.kind, r.forMs]), [
      ["a", 3, "status", 10_000],
      ["b", 4, "dlq", 0],
      ["c", 5, "consumer", 30_000],
      ["d", 6, "partitions", 30_000],
      ["e", 7, "broker", 15_000],
    ]);
    assert.deepEqual(rules[0].kind === "status" && rules[0].statuses, ["STALL"]);
    assert.equal(rules[0].repeatMs, 0);
    assert.equal(rules[0].severity, "critical");
    assert.equal(rules[1].kind === "dlq" && rules[1].quietMs, 60_000);
    assert.deepEqual(rules[2].webhooks, [
      { url: "http://127.0.0.1:9/x", format: "json" },
      { url: "https://chat.example/hook", format: "slack" },
    ]);
    assert.deepEqual(rules[3].kind === "partitions" && rules[3].problems, ["offline"]);
    assert.equal(rules[4].kind === "broker" && rules[4].forgetMs, 7_200_000);
  });
});

Deno.test("parseRules - every problem, each naming its line", () => {
  assert.deepEqual(
    problems([
      "ok lag above=1s",
      "Bad lag above=1s",
      "x nope",
      "y lag",
      "z lag above=soon objective=120% for=-1s",
      "w status is=STALL,SLOW colour=red",
      "v dlq topic=a/b quiet",
      "u consumer webhook=ftp://x severity=loud",
      "ok dlq",
      "lonely",
    ].join("\n")),
    [
      'alerts.txt:2: rule name "Bad": use lowercase letters, digits, ".", "_" and "-"',
      'alerts.txt:3: kind "nope": expected one of lag, status, dlq, consumer, partitions, broker',
      "alerts.txt:4: lag rules need above=<duration> (the target)",
      'alerts.txt:5: for: expected a duration such as 30s, 5m, 1h, 7d (got "-1s")',
      'alerts.txt:5: above: expected a duration such as 30s, 5m, 1h, 7d (got "soon")',
      'alerts.txt:5: objective: a share of the time such as 99% or 99.9% (got "120%")',
      'alerts.txt:6: status rules take for, repeat, severity, webhook, group, is; not "colour"',
      'alerts.txt:6: is: expected some of OK, WARN, REWIND, STALL, STOP, ERROR (got "STALL,SLOW")',
      'alerts.txt:7: expected key=value (got "quiet")',
      'alerts.txt:7: topic: a name or a pattern with * (got "a/b")',
      'alerts.txt:8: webhook: a webhook must be http or https, not ftp: ("ftp://x")',
      'alerts.txt:8: severity: expected warning or critical (got "loud")',
      'alerts.txt:9: rule "ok" is already on line 1',
      'alerts.txt:10: expected "name kind [key=value ...]" (got "lonely")',
    ],
  );
});

Deno.test("globs - * matches anything, the rest literally; with or without the topic prefix", () => {
  assert.ok(globMatches("*", "anything.at-all"));
  assert.ok(globMatches("orders.*", "orders.created"));
  assert.ok(!globMatches("orders.*", "ordersXcreated"));
  assert.ok(!globMatches("pay", "payments"));
  assert.ok(matchesScoped("orders.*", "t-1.orders.created", "t-1."));
  assert.ok(!matchesScoped("orders.*", "t-1.orders.created", ""));
});

Deno.test("webhooks - lists, Slack by prefix or by host, and the host a grant names", () => {
  const { webhooks, problems } = parseWebhookList(
    "http://127.0.0.1:8123/a, slack:https://x.example/h,https://hooks.slack.com/services/T/B/C,,nope",
  );
  assert.deepEqual(webhooks.map((w) => w.format), ["json", "slack", "slack"]);
  assert.deepEqual(problems, ['not a URL: "nope"']);
  assert.deepEqual(webhooks.map(webhookHost), [
    "127.0.0.1:8123",
    "x.example:443",
    "hooks.slack.com:443",
  ]);
});

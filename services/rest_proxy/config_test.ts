import assert from "node:assert/strict";
import { ConfigError } from "../../shared/core/config.ts";
import { isTopicAllowed, parseRestProxyConfig } from "./config.ts";

Deno.test("rest proxy config - REST_PROXY_TOPICS names topics and prefixes; internals never pass", async (t) => {
  await t.step("unset: the seeds' topics", () => {
    const config = parseRestProxyConfig({});
    assert.ok(isTopicAllowed(config, "demands.created"));
    assert.ok(isTopicAllowed(config, "primeiro_topico"));
    assert.ok(!isTopicAllowed(config, "demands.assumed"));
    assert.ok(!isTopicAllowed(config, "demands.created.x"));
  });

  await t.step("names, prefixes and spaces", () => {
    const config = parseRestProxyConfig({ REST_PROXY_TOPICS: " orders.created , events.* ," });
    assert.deepEqual(config.topics, [
      { name: "orders.created", prefix: false },
      { name: "events.", prefix: true },
    ]);
    assert.ok(isTopicAllowed(config, "events.a"));
    assert.ok(!isTopicAllowed(config, "events"));
    assert.ok(!isTopicAllowed(config, "events.a.dlq"), "a prefix never covers a dead-letter topic");
  });

  await t.step("* allows every topic but Kafka's and the dead letters; none allows none", () => {
    const all = parseRestProxyConfig({ REST_PROXY_TOPICS: "*" });
    assert.ok(isTopicAllowed(all, "anything"));
    assert.ok(!isTopicAllowed(all, "__consumer_offsets"));
    assert.ok(!isTopicAllowed(all, "orders.created.dlq"));
    const none = parseRestProxyConfig({ REST_PROXY_TOPICS: "none" });
    assert.ok(!isTopicAllowed(none, "demands.created"));
  });

  await t.step("a wrong value names the variable", () => {
    for (const value of ["a b", "a*b", ",", "orders.created.dlq", "__consumer_offsets"]) {
      assert.throws(
        () => parseRestProxyConfig({ REST_PROXY_TOPICS: value }),
        (e) => e instanceof ConfigError && /REST_PROXY_TOPICS/.test(e.message),
        value,
      );
    }
  });
});

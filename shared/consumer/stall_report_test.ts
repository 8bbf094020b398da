import assert from "node:assert/strict";
import { createLogger } from "../core/log.ts";
import { StallReport } from "./stall_report.ts";

const log = createLogger("stall-test");
const request = { broker: "127.0.0.3:9092", api: "Fetch", ageMs: 95_000, timeoutMs: 31_000 };

Deno.test("stall report - a batch or a silence past the limit is said once, with the requests in flight", async (t) => {
  await t.step("a long batch, with what it waits for", () => {
    const stall = new StallReport(log, { afterMs: 60_000, now: 0, inFlight: () => [request] });
    stall.batchStarted(1_000);
    assert.equal(stall.check(true, 60_000), undefined, "59 s: not yet");
    assert.equal(
      stall.check(true, 61_000),
      "a batch has been in progress for 60 s; Fetch to 127.0.0.3:9092 for 95 s (timeout 31 s)",
    );
    assert.equal(stall.check(true, 90_000), undefined, "said once");
    stall.batchEnded(91_000);
    stall.batchStarted(92_000);
    assert.match(stall.check(true, 160_000) ?? "", /^a batch has been in progress for 68 s/);
  });
  await t.step("no fetch answered while running; none expected while rejoining", () => {
    const stall = new StallReport(log, { afterMs: 60_000, now: 0, inFlight: () => [] });
    stall.fetched(10_000);
    assert.equal(stall.check(false, 80_000), undefined, "rejoining: no fetch expected");
    assert.equal(
      stall.check(true, 80_000),
      "no fetch answered for 70 s; no Kafka request in flight",
    );
    stall.fetched(81_000);
    assert.equal(stall.check(true, 100_000), undefined, "fetching again");
  });
});

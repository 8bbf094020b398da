import assert from "node:assert/strict";
import { TransientError } from "../core/errors.ts";
import { createLogger } from "../core/log.ts";
import { MessageFailure } from "./apply_batch.ts";
import { chunkFixture } from "./chunk_fixture.ts";
import { type BatchErrorInfo, failureVerdict } from "./failure_verdict.ts";
import { RetryPolicy } from "./retry_policy.ts";
import { FreshetError } from "../core/errors.ts";

const log = createLogger("verdict-test");
const transient = (offset: number) => new MessageFailure(offset, new TransientError("down"));

Deno.test("failure verdict - retry, dead-letter, or probe the messages after", async (t) => {
  const fx = await chunkFixture();
  const errors: BatchErrorInfo[] = [];
  const options = (policy: RetryPolicy) => ({
    db: fx.db,
    definition: fx.definition,
    policy,
    log,
    onBatchError: (info: BatchErrorInfo) => errors.push(info),
  });
  try {
    await t.step("a non-retriable error: dead-letter at once", () => {
      const failure = new MessageFailure(
        0,
        new FreshetError("bad", { code: "BAD", retriable: false }),
      );
      assert.deepEqual(failureVerdict(options(new RetryPolicy()), fx.messages(0, 3), failure), {
        action: "dead-letter",
      });
      assert.equal(errors.at(-1)?.willRetry, false);
    });

    await t.step("retriable within its budget: retry after the backoff", () => {
      const policy = new RetryPolicy({ initialRetryMs: 100 }, () => 0.5);
      assert.deepEqual(failureVerdict(options(policy), fx.messages(0, 3), transient(0)), {
        action: "retry",
        delayMs: 100,
      });
      assert.deepEqual(errors.at(-1), {
        topic: "t",
        partition: 0,
        offset: 0,
        error: transient(0).cause,
        attempt: 1,
        willRetry: true,
      });
    });

    await t.step(
      "past its budget, the messages after it apply: poison, dead-lettered",
      async () => {
        const policy = new RetryPolicy({ messageBudgetMs: 1, maxRetryMs: 500 });
        failureVerdict(options(policy), fx.messages(10, 3), transient(10));
        await new Promise((r) => setTimeout(r, 5));
        assert.deepEqual(failureVerdict(options(policy), fx.messages(10, 3), transient(10)), {
          action: "dead-letter",
        });
        assert.deepEqual(fx.rows(), [], "the probe rolled back");
      },
    );

    await t.step(
      "past its budget, the messages after it fail too: an outage, retried",
      async () => {
        const policy = new RetryPolicy({ messageBudgetMs: 1, maxRetryMs: 500 });
        for (const n of [20, 21, 22]) fx.failing.add(n);
        failureVerdict(options(policy), fx.messages(20, 3), transient(20));
        await new Promise((r) => setTimeout(r, 5));
        assert.deepEqual(failureVerdict(options(policy), fx.messages(20, 3), transient(20)), {
          action: "retry",
          delayMs: 500,
        });
      },
    );
    await t.step(
      "two poison messages in a row: the second fails in the probe, the rest apply",
      async () => {
        const policy = new RetryPolicy({ messageBudgetMs: 1, maxRetryMs: 500 });
        for (const n of [30, 31]) fx.failing.add(n);
        failureVerdict(options(policy), fx.messages(30, 4), transient(30));
        await new Promise((r) => setTimeout(r, 5));
        assert.deepEqual(failureVerdict(options(policy), fx.messages(30, 4), transient(30)), {
          action: "dead-letter",
        });
      },
    );

    await t.step(
      "poison last in its partition: dead-lettered once another partition applies",
      async () => {
        const policy = new RetryPolicy({ messageBudgetMs: 1, maxRetryMs: 500 });
        fx.failing.add(40);
        let elsewhere = false;
        const withEvidence = {
          ...options(policy),
          appliedElsewhere: (topic: string, partition: number, since: number) => {
            assert.deepEqual([topic, partition], ["t", 0]);
            assert.ok(since > 0);
            return elsewhere;
          },
        };
        failureVerdict(withEvidence, fx.messages(40, 1), transient(40));
        await new Promise((r) => setTimeout(r, 5));
        assert.deepEqual(failureVerdict(withEvidence, fx.messages(40, 1), transient(40)), {
          action: "retry",
          delayMs: 500,
        }, "no evidence: an outage");
        elsewhere = true;
        assert.deepEqual(failureVerdict(withEvidence, fx.messages(40, 1), transient(40)), {
          action: "dead-letter",
        });
      },
    );
  } finally {
    await fx.close();
  }
});

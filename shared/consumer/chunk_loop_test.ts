import assert from "node:assert/strict";
import { createLogger } from "../core/log.ts";
import type { BatchMessage } from "./apply_batch.ts";
import { type ChunkFixture, chunkFixture } from "./chunk_fixture.ts";
import { applyChunk, type ChunkContext } from "./chunk_loop.ts";
import { offsetStore } from "./offsets.ts";
import { RetryPolicy } from "./retry_policy.ts";
import { viewCommit } from "./view_commit.ts";
import { transaction } from "../sqlite/sqlite.ts";

const log = createLogger("chunk-loop-test");

/** A view's chunk context on the fixture, recording what the loop asked of the runner. */
function viewContext(fx: ChunkFixture, policy = new RetryPolicy({ initialRetryMs: 100 })) {
  const seen = {
    committed: [] as number[][],
    pauses: [] as number[],
    rereads: [] as (number | undefined)[],
    repositions: [] as string[],
    retries: 0,
    live: true,
  };
  const ctx: ChunkContext = {
    protocol: viewCommit({ db: fx.db, definition: fx.definition, offsets: offsetStore(fx.db) }),
    verdict: { db: fx.db, definition: fx.definition, policy, log },
    log,
    live: () => seen.live,
    committed: (messages: BatchMessage[]) => seen.committed.push(messages.map((m) => m.offset)),
    reread: (found) => seen.rereads.push(found),
    pause: (delayMs) => seen.pauses.push(delayMs),
    reposition: (error) => seen.repositions.push((error as Error).message),
    fenced: () => {},
    failed: (_error, willRetry) => willRetry && seen.retries++,
  };
  return { ctx, seen, stored: () => offsetStore(fx.db).get("t", 0) };
}

Deno.test("chunk loop - a view's chunk commits with its offset, failures handled per message", async (t) => {
  await t.step("every message applies: one commit, offset after the last", async () => {
    const fx = await chunkFixture();
    try {
      const { ctx, seen, stored } = viewContext(fx);
      assert.deepEqual(await applyChunk(ctx, fx.messages(0, 5), undefined), {
        done: true,
        next: 5,
      });
      assert.deepEqual(fx.rows(), [0, 1, 2, 3, 4]);
      assert.deepEqual(seen.committed, [[0, 1, 2, 3, 4]]);
      assert.equal(stored(), 5);
    } finally {
      await fx.close();
    }
  });

  await t.step(
    "a rejected message is dead-lettered in the same transaction; the rest apply",
    async () => {
      const fx = await chunkFixture();
      try {
        fx.rejected.add(2);
        const { ctx, seen, stored } = viewContext(fx);
        assert.deepEqual(await applyChunk(ctx, fx.messages(0, 5), undefined), {
          done: true,
          next: 5,
        });
        assert.deepEqual(fx.rows(), [0, 1, 3, 4]);
        assert.deepEqual(seen.committed, [[0, 1], [2, 3, 4]], "the prefix first, then the rest");
        assert.equal(stored(), 5);
        const dlq = fx.db.prepare("SELECT topic FROM outbox").all().map((r) => r.topic);
        assert.deepEqual(dlq, ["t.dlq"]);
        assert.equal(seen.retries, 0);
      } finally {
        await fx.close();
      }
    },
  );

  await t.step(
    "a retriable failure: the prefix commits, the partition pauses at the failing message",
    async () => {
      const fx = await chunkFixture();
      try {
        fx.failing.add(3);
        const { ctx, seen, stored } = viewContext(fx);
        assert.deepEqual(await applyChunk(ctx, fx.messages(0, 6), undefined), { done: false });
        assert.deepEqual(fx.rows(), [0, 1, 2]);
        assert.equal(stored(), 3);
        assert.equal(seen.pauses.length, 1);
        assert.ok(seen.pauses[0] >= 80 && seen.pauses[0] <= 120, `backoff ${seen.pauses[0]}`);
        assert.equal(seen.retries, 1);
      } finally {
        await fx.close();
      }
    },
  );

  await t.step(
    "the stored offset moved under the chunk: nothing applied, read again from it",
    async () => {
      const fx = await chunkFixture();
      try {
        const { ctx, seen, stored } = viewContext(fx);
        transaction(fx.db, () => offsetStore(fx.db).set("t", 0, 7));
        assert.deepEqual(await applyChunk(ctx, fx.messages(0, 3), 0), { done: false });
        assert.deepEqual(fx.rows(), []);
        assert.deepEqual(seen.rereads, [7]);
        assert.equal(stored(), 7);
      } finally {
        await fx.close();
      }
    },
  );

  await t.step("a chunk no longer live is dropped before it commits", async () => {
    const fx = await chunkFixture();
    try {
      const { ctx, seen } = viewContext(fx);
      seen.live = false;
      assert.deepEqual(await applyChunk(ctx, fx.messages(0, 3), undefined), { done: false });
      assert.deepEqual(fx.rows(), []);
    } finally {
      await fx.close();
    }
  });

  await t.step(
    "a commit refused outside any handler rolls back and positions the partition again",
    async () => {
      const fx = await chunkFixture();
      try {
        const { ctx, seen, stored } = viewContext(fx);
        assert.deepEqual(await applyChunk(ctx, fx.messages(0, 2), undefined), {
          done: true,
          next: 2,
        });
        // What a full disk or a busy database does to the commit: the offset write fails.
        fx.db.exec(`CREATE TRIGGER refuse BEFORE UPDATE ON consumer_offsets
          BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END`);
        assert.deepEqual(await applyChunk(ctx, fx.messages(2, 3), 2), { done: false });
        assert.equal(seen.repositions.length, 1);
        assert.match(seen.repositions[0], /disk full \(test\)/);
        assert.deepEqual(fx.rows(), [0, 1], "the chunk's rows rolled back");
        assert.equal(stored(), 2);
        assert.equal(seen.retries, 0, "no message is blamed");
        assert.deepEqual(seen.pauses, []);
      } finally {
        await fx.close();
      }
    },
  );
});

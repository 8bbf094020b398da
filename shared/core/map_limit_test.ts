import assert from "node:assert/strict";
import { mapLimit } from "./map_limit.ts";

/** A deferred call: resolves when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => open = resolve);
  return { open, opened };
}

Deno.test("mapLimit - results in order, never more than the limit in flight", async (t) => {
  await t.step("calls finishing out of order keep the items' order", async () => {
    const delays = [30, 5, 20, 1, 10];
    const out = await mapLimit(delays, 2, async (ms) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return ms * 2;
    });
    assert.deepEqual(out, [60, 10, 40, 2, 20]);
  });
  for (const limit of [1, 3, 10]) {
    await t.step(`limit ${limit} over 7 items`, async () => {
      let inFlight = 0;
      let most = 0;
      const out = await mapLimit([1, 2, 3, 4, 5, 6, 7], limit, async (n) => {
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight--;
        return n;
      });
      assert.deepEqual(out, [1, 2, 3, 4, 5, 6, 7]);
      assert.equal(most, Math.min(limit, 7));
    });
  }
  await t.step("no items: no call, an empty array", async () => {
    assert.deepEqual(await mapLimit([], 4, () => Promise.reject(new Error("called"))), []);
  });
});

Deno.test("mapLimit - the first failure rejects, and nothing new starts after it", async () => {
  const started: number[] = [];
  const slow = gate();
  const call = mapLimit([0, 1, 2, 3, 4, 5], 2, async (n) => {
    started.push(n);
    if (n === 0) {
      await slow.opened;
      return n;
    }
    if (n === 1) throw new Error("item 1 failed");
    return n;
  });
  await assert.rejects(call, /item 1 failed/);
  slow.open();
  await new Promise((resolve) => setTimeout(resolve, 5));
  // Item 0 was in flight when 1 failed; the worker that failed stopped, the other finishes 0 and stops.
  assert.deepEqual(started, [0, 1]);
});

Deno.test("mapLimit - a limit that is not a positive integer is refused", async (t) => {
  for (const limit of [0, -1, 1.5, Number.NaN]) {
    await t.step(String(limit), async () => {
      await assert.rejects(() => mapLimit([1], limit, (n) => Promise.resolve(n)), RangeError);
    });
  }
});

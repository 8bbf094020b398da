import assert from "node:assert/strict";
import type { ActiveStream } from "./message_reader.ts";
import { slotRefusal } from "./stream_slots.ts";

const LIMITS = { total: 8, perUser: 4, operatorReserved: 2, tailMaxMs: 60_000 };
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

function stream(
  user: string,
  role: "viewer" | "operator",
  kind: ActiveStream["kind"],
  i = 0,
): ActiveStream {
  return { id: i, kind, topic: `t${i}`, user, role, startedAt: NOW - 90_000 };
}

Deno.test("stream slots - per user, in total, and the operators' reserved share", async (t) => {
  await t.step("a user's fifth search or tail is refused, naming their streams", () => {
    const active = [0, 1, 2, 3].map((i) => stream("ana", "viewer", "tail", i));
    const refusal = slotRefusal(
      LIMITS,
      active,
      { kind: "search", user: "ana", role: "viewer" },
      NOW,
    );
    assert.equal(refusal?.status, 429);
    assert.match(
      refusal!.message,
      /^ana holds 4 of the 4 searches and live tails one user may hold/,
    );
    assert.match(
      refusal!.message,
      /ana \(viewer\): live tail of t0 since 2025-01-01T11:58:30Z \(2 min ago\)/,
    );
    assert.equal(refusal!.headers.get("retry-after"), "5");
    assert.equal(
      slotRefusal(LIMITS, active, { kind: "tail", user: "bo", role: "viewer" }, NOW),
      undefined,
    );
  });
  await t.step("viewers fill at most total - reserved; operators still get a slot", () => {
    const active = [
      ...[0, 1, 2].map((i) => stream("ana", "viewer", "tail", i)),
      ...[3, 4, 5].map((i) => stream("bo", "viewer", "tail", i)),
    ];
    const viewer = slotRefusal(LIMITS, active, { kind: "tail", user: "cy", role: "viewer" }, NOW);
    assert.match(
      viewer!.message,
      /the 6 stream slots open to viewers are in use \(2 are kept for operators\)/,
    );
    assert.match(viewer!.message, /bo \(viewer\): live tail of t5/);
    for (const kind of ["search", "action"] as const) {
      assert.equal(
        slotRefusal(LIMITS, active, { kind, user: "operator", role: "operator" }, NOW),
        undefined,
      );
    }
  });
  await t.step("an operator action is not counted against its user's share", () => {
    const active = [0, 1, 2, 3].map((i) => stream("operator", "operator", "tail", i));
    assert.ok(
      slotRefusal(LIMITS, active, { kind: "search", user: "operator", role: "operator" }, NOW),
    );
    assert.equal(
      slotRefusal(LIMITS, active, { kind: "action", user: "operator", role: "operator" }, NOW),
      undefined,
    );
  });
  await t.step("every slot taken: even an operator action waits, told who holds them", () => {
    const active = [0, 1, 2, 3, 4, 5, 6, 7].map((i) =>
      stream(`u${i % 3}`, i < 6 ? "viewer" : "operator", "tail", i)
    );
    const refusal = slotRefusal(LIMITS, active, {
      kind: "action",
      user: "operator",
      role: "operator",
    }, NOW);
    assert.match(
      refusal!.message,
      /^all 8 stream slots are in use: u0 \(viewer\): live tail of t0/,
    );
  });
});

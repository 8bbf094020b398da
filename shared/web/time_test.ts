import assert from "node:assert/strict";
import { formatTime, relativeTime, timeText } from "./time.tsx";

const AT = Date.UTC(2026, 11, 5, 22, 23, 59, 120);

Deno.test("time - UTC is labelled, local names its zone, relative says how long ago", async (t) => {
  await t.step("UTC, with and without the date and seconds", () => {
    assert.equal(formatTime(AT, "utc"), "2026-12-05 22:23:59 UTC");
    assert.equal(formatTime(AT, "utc", { date: false }), "22:23:59 UTC");
    assert.equal(formatTime(AT, "utc", { seconds: false }), "2026-12-05 22:23 UTC");
  });
  await t.step("local: 24-hour clock and a zone name", () => {
    assert.match(formatTime(AT, "local"), /^2026-12-0[56] \d\d:\d\d:59 \S+$/);
    assert.doesNotMatch(formatTime(AT, "local"), /AM|PM/);
  });
  await t.step("relative, both ways", () => {
    assert.equal(relativeTime(AT, AT + 4_000), "4 s ago");
    assert.equal(relativeTime(AT, AT + 3 * 60_000), "3 min ago");
    assert.equal(relativeTime(AT, AT + 2 * 3_600_000), "2 h ago");
    assert.equal(relativeTime(AT, AT + 5 * 86_400_000), "5 d ago");
    assert.equal(relativeTime(AT + 120_000, AT), "in 2 min");
  });
  await t.step("an ISO string is read as the same time; a bad one shows a dash", () => {
    const text = timeText({ at: new Date(AT).toISOString() }, "utc", AT);
    assert.equal(text.text, "2026-12-05 22:23:59 UTC");
    assert.equal(timeText({ at: "not a time" }, "utc", AT).text, "—");
    const relative = timeText({ at: AT, relative: true }, "utc", AT + 60_000);
    assert.deepEqual(relative, { text: "1 min ago", title: "2026-12-05 22:23:59 UTC" });
  });
});

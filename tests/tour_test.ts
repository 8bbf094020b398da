/**
 * `deno task tour` as a learner runs it, with the task's own permissions,
 * against the real broker: every step passes and the run leaves nothing
 * behind (topics, groups, ACL bindings, files); when the broker does not
 * behave as a step claims, the tour says so and exits 1 — and still
 * cleans up. docs/tour.md walks the same steps.
 */
import assert from "node:assert/strict";
import { withAdmin } from "../shared/kafka/client.ts";
import { listBindings } from "../shared/provision/mod.ts";
import { TOUR_STEPS } from "../tour/steps/mod.ts";
import { adminKafka, runDeno } from "./helpers.ts";

/** The run id the tour printed. */
function runIdOf(output: string): string {
  const run = output.match(/run (tour-[0-9a-f]{8})/)?.[1];
  assert.ok(run, `no run id in:\n${output}`);
  return run;
}

/** The end of a run's output, where a failed step says why (assertion messages cut long text). */
function ending(run: { stdout: string; stderr: string }): string {
  return `…${run.stdout.slice(-2500)}\n${run.stderr.slice(-1500)}`;
}

/** What the broker and the disk still hold of a run. */
async function leftovers(run: string): Promise<string[]> {
  const left = await withAdmin(adminKafka(), async (admin) => [
    ...(await admin.listTopics()).filter((t) => t.startsWith(run)),
    ...(await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(run)),
    ...(await listBindings(admin)).filter((b) => b.resourceName.startsWith(run))
      .map((b) => `acl ${b.resourceName}`),
  ]);
  const files = await Deno.stat(`data/tour/${run}`).then(() => [`data/tour/${run}`], () => []);
  return [...left, ...files];
}

Deno.test({
  name: "tour - every step of seed 002 runs on the live broker, then the run is cleaned up",
  sanitizeResources: false,
  async fn() {
    const run = await runDeno(["task", "tour", "--yes"]);
    assert.equal(run.code, 0, ending(run));
    for (const [i, step] of TOUR_STEPS.entries()) {
      assert.ok(
        run.stdout.includes(`${i + 1}/${TOUR_STEPS.length} · ${step.title}`),
        `step ${step.title} printed`,
      );
    }
    assert.match(run.stdout, /Tour passed: 10 of 10 steps, every claim checked\./, ending(run));
    assert.doesNotMatch(run.stdout, /✘/, ending(run));
    const checks = run.stdout.split("\n").filter((line) => line.trimStart().startsWith("✔"));
    assert.ok(checks.length >= 40, `${checks.length} claims checked`);
    assert.equal(
      run.stdout.split("\n").filter((line) => line.includes("$ deno task kafka:cli")).length >= 10,
      true,
      "every step shows the kafka:cli equivalent",
    );
    const id = runIdOf(run.stdout);
    assert.match(run.stdout, new RegExp(`Cleaned up run ${id}: 9 topics`));
    assert.deepEqual(await leftovers(id), []);
  },
});

Deno.test({
  name: "tour - a claim the broker does not bear out stops the tour loudly (exit 1), cleaned up",
  sanitizeResources: false,
  async fn() {
    const run = await runDeno(["task", "tour", "--yes"], {
      env: { KAFKA_BALANCES_PASSWORD: "not-balances-password" },
    });
    assert.equal(run.code, 1, ending(run));
    assert.match(
      run.stdout,
      /✘ Step 7 \(SASL: who is connecting\) failed: the tour claimed "balances logs in with its password/,
      ending(run),
    );
    assert.match(run.stdout, /Steps passed: 6 of 10\./, ending(run));
    const id = runIdOf(run.stdout);
    assert.deepEqual(await leftovers(id), []);
  },
});

Deno.test("tour - docs/tour.md walks the same steps, in the same order", async () => {
  const doc = await Deno.readTextFile("docs/tour.md");
  const headings = [...doc.matchAll(/^## (\d+)\. (.+)$/gm)].map((m) => `${m[1]}. ${m[2]}`);
  assert.deepEqual(headings, TOUR_STEPS.map((step, i) => `${i + 1}. ${step.title}`));
});

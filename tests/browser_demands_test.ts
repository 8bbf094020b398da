/**
 * The `/demands` page in headless Chromium against the real broker, with
 * the doctor consumer in process: a demand produced to Kafka (bare, as
 * kcat sends it) appears within a second without a reload, its markup
 * shown as text; Assume shows at once and emits `demands.assumed`; the
 * island's form sends a demand that then appears; a filter applies in
 * place.
 */
import assert from "node:assert/strict";
import { DEMANDS_ASSUMED, DEMANDS_CREATED } from "../services/demands/demand.ts";
import { doctorConfig } from "../services/demands/doctor_config.ts";
import { startWorldServer } from "./prefixed_world.ts";
import { launchChromium } from "./cdp.ts";
import { produce, waitFor } from "./helpers.ts";
import { demandsWorld, type Doctor, readTopic, startDoctor, textOf } from "./demands_helpers.ts";

const rowOf = (id: string) => `document.querySelector('tr[data-demand=${JSON.stringify(id)}]')`;
const fieldOf = (id: string, field: string) =>
  `${rowOf(id)}?.querySelector('[data-field=${field}]')?.textContent`;
const countOf = (status: string) =>
  `document.querySelector('[data-count=${status}] strong').textContent`;

/** Sets form fields the way typing does (an input event each), then submits. */
function fillAndSubmit(formSelector: string, fields: Record<string, string>): string {
  return `(() => {
    const form = document.querySelector(${JSON.stringify(formSelector)});
    for (const [name, value] of Object.entries(${JSON.stringify(fields)})) {
      const field = form.elements.namedItem(name);
      field.value = value;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
    form.requestSubmit();
  })()`;
}

Deno.test("browser demands - a produced demand appears live; Assume shows at once and emits demands.assumed", async () => {
  const world = await demandsWorld();
  const server = await startWorldServer(world, { heartbeatMs: 200 });
  const doctorName = doctorConfig().name;
  let doctor: Doctor | undefined;
  const browser = await launchChromium();
  try {
    doctor = await startDoctor(world, doctorName);
    const page = await browser.open(`${server.url}/demands`);
    assert.equal(await page.evaluate("document.querySelector('h1').textContent"), "Demands");
    await page.waitFor(
      "document.querySelector('.demand-board[data-hydrated=yes] .live-open')",
      5_000,
    );

    // A first demand makes sure the doctor has joined its group before timing the next one.
    const warmUp = `warm-${crypto.randomUUID()}`;
    const demand = (id: string, type: string, priority = "high") =>
      JSON.stringify({ id, type, location: { lat: -22.9, lng: -43.2 }, metadata: { priority } });
    await produce(world.kafka, world.topic(DEMANDS_CREATED), [{
      key: warmUp,
      value: demand(warmUp, "visit"),
    }]);
    await page.waitFor(rowOf(warmUp), 20_000);

    const id = `live-${crypto.randomUUID()}`;
    const hostile = `<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">`;
    await produce(world.kafka, world.topic(DEMANDS_CREATED), [{
      key: null,
      value: demand(id, hostile),
    }]);
    const ms = await page.waitFor(rowOf(id), 5_000);
    assert.ok(ms <= 1_000, `the demand appeared ${ms} ms after Kafka acknowledged it (≤ 1000)`);
    assert.equal(await page.evaluate(fieldOf(id, "type")), hostile, "shown as text");
    assert.equal(await page.evaluate(fieldOf(id, "status")), "pending");
    assert.equal(
      await page.evaluate("document.querySelectorAll('main img, main script').length"),
      0,
    );
    assert.equal(await page.evaluate("window.pwned === undefined"), true);
    assert.equal(await page.evaluate(countOf("pending")), "2");
    assert.deepEqual(page.navigations, [], "no reload");

    await page.evaluate(`${rowOf(id)}.querySelector('button[value=assume]').click()`);
    const shownMs = await page.waitFor(`${fieldOf(id, "status")} === 'assumed'`, 1_000);
    assert.ok(shownMs < 500, `Assume showed after ${shownMs} ms`);
    let events: Awaited<ReturnType<typeof readTopic>> = [];
    await waitFor("demands.assumed", async () => {
      events = (await readTopic(world, DEMANDS_ASSUMED)).filter((m) => m.key === id);
      return events.length > 0;
    });
    assert.equal(events.length, 1);
    assert.deepEqual(
      [JSON.parse(textOf(events[0])).id, JSON.parse(textOf(events[0])).doctor],
      [id, doctorName],
    );
    await page.waitFor(`${fieldOf(id, "assignedTo")} === ${JSON.stringify(doctorName)}`, 10_000);
    assert.equal(await page.evaluate(fieldOf(id, "status")), "assumed");
    assert.equal(await page.evaluate(`${rowOf(id)}.querySelector('button')`), null);
    assert.deepEqual(
      [await page.evaluate(countOf("pending")), await page.evaluate(countOf("assumed"))],
      ["1", "1"],
    );

    await page.evaluate(fillAndSubmit("form.demand-form", {
      type: "from-the-form",
      priority: "critical",
      lat: "-22,95",
      lng: "-43.21",
    }));
    await page.waitFor("document.querySelector('.demand-form .notice')", 5_000);
    const sentId = await page.evaluate<string>(
      "document.querySelector('.demand-form .notice').textContent.match(/Demand (\\S+) sent/)[1]",
    );
    await page.waitFor(rowOf(sentId), 5_000);
    assert.equal(await page.evaluate(fieldOf(sentId, "priority")), "critical");
    assert.equal(
      await page.evaluate("document.querySelector('.demand-form input[name=type]').value"),
      "",
      "the form starts again",
    );

    await page.evaluate(`(() => {
      const select = document.querySelector('.demand-filters select[name=status]');
      select.value = 'assumed';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    })()`);
    await page.waitFor(`!${rowOf(warmUp)} && ${rowOf(id)}`, 5_000);
    assert.equal(await page.evaluate("location.search"), "?status=assumed");
    assert.deepEqual(page.navigations, [], "no reload");
    assert.deepEqual(page.errors, []);
    await page.close();
  } finally {
    await browser.close();
    await doctor?.stop();
    await server.close();
    await world.close();
  }
});

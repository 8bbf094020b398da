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
import { launchBrowser, markDocument, pageErrors } from "./browser.ts";
import { produce, waitFor } from "./helpers.ts";
import { demandsWorld, type Doctor, readTopic, startDoctor, textOf } from "./demands_helpers.ts";

const rowOf = (id: string) => `tr[data-demand=${JSON.stringify(id)}]`;
const fieldOf = (id: string, field: string) => `${rowOf(id)} [data-field=${field}]`;
const countOf = (status: string) => `[data-count=${status}] strong`;

Deno.test("browser demands - a produced demand appears live; Assume shows at once and emits demands.assumed", async () => {
  const world = await demandsWorld();
  const server = await startWorldServer(world, { heartbeatMs: 200 });
  const doctorName = doctorConfig().name;
  let doctor: Doctor | undefined;
  const { browser, close } = await launchBrowser();
  try {
    doctor = await startDoctor(world, doctorName);
    const page = await browser.newPage();
    const errors = pageErrors(page);
    const shown = (selector: string) => page.$eval(selector, (e) => e.textContent);
    /** Waits until `selector`'s text is `text`. */
    const untilShown = (selector: string, text: string, timeout: number) =>
      page.waitForFunction(
        (selector, text) => document.querySelector(selector)?.textContent === text,
        { timeout },
        selector,
        text,
      );
    await page.goto(`${server.url}/demands`);
    assert.equal(await shown("h1"), "Demands");
    await page.waitForSelector(".demand-board[data-hydrated=yes] .live-open", { timeout: 5_000 });
    const sameDocument = await markDocument(page);

    // A first demand makes sure the doctor has joined its group before timing the next one.
    const warmUp = `warm-${crypto.randomUUID()}`;
    const demand = (id: string, type: string, priority = "high") =>
      JSON.stringify({ id, type, location: { lat: -22.9, lng: -43.2 }, metadata: { priority } });
    await produce(world.kafka, world.topic(DEMANDS_CREATED), [{
      key: warmUp,
      value: demand(warmUp, "visit"),
    }]);
    await page.waitForSelector(rowOf(warmUp), { timeout: 20_000 });

    const id = `live-${crypto.randomUUID()}`;
    const hostile = `<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">`;
    await produce(world.kafka, world.topic(DEMANDS_CREATED), [{
      key: null,
      value: demand(id, hostile),
    }]);
    const acknowledged = Date.now();
    await page.waitForSelector(rowOf(id), { timeout: 5_000 });
    const ms = Date.now() - acknowledged;
    assert.ok(ms <= 1_000, `the demand appeared ${ms} ms after Kafka acknowledged it (≤ 1000)`);
    assert.equal(await shown(fieldOf(id, "type")), hostile, "shown as text");
    assert.equal(await shown(fieldOf(id, "status")), "pending");
    assert.equal(await page.$$eval("main img, main script", (found) => found.length), 0);
    assert.equal(await page.evaluate(() => "pwned" in globalThis), false);
    assert.equal(await shown(countOf("pending")), "2");
    assert.equal(await sameDocument(), true, "no reload");

    await page.click(`${rowOf(id)} button[value=assume]`);
    const clicked = Date.now();
    await untilShown(fieldOf(id, "status"), "assumed", 1_000);
    const shownMs = Date.now() - clicked;
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
    await untilShown(fieldOf(id, "assignedTo"), doctorName, 10_000);
    assert.equal(await shown(fieldOf(id, "status")), "assumed");
    assert.equal(await page.$(`${rowOf(id)} button`), null);
    assert.deepEqual([await shown(countOf("pending")), await shown(countOf("assumed"))], [
      "1",
      "1",
    ]);

    // The island's form, filled in as a person types.
    await page.locator(".demand-form input[name=type]").fill("from-the-form");
    await page.select(".demand-form select[name=priority]", "critical");
    await page.locator(".demand-form input[name=lat]").fill("-22,95");
    await page.locator(".demand-form input[name=lng]").fill("-43.21");
    await page.click(".demand-form button[type=submit]");
    await page.waitForSelector(".demand-form .notice", { timeout: 5_000 });
    const notice = await shown(".demand-form .notice");
    const sentId = notice?.match(/Demand (\S+) sent/)?.[1];
    assert.ok(sentId, `the notice names the demand: ${notice}`);
    await page.waitForSelector(rowOf(sentId), { timeout: 5_000 });
    assert.equal(await shown(fieldOf(sentId, "priority")), "critical");
    assert.equal(
      await page.$eval(
        ".demand-form input[name=type]",
        (input) => (input as HTMLInputElement).value,
      ),
      "",
      "the form starts again",
    );

    await page.select(".demand-filters select[name=status]", "assumed");
    await page.waitForFunction(
      (gone, kept) => !document.querySelector(gone) && document.querySelector(kept),
      { timeout: 5_000 },
      rowOf(warmUp),
      rowOf(id),
    );
    assert.equal(await page.evaluate(() => location.search), "?status=assumed");
    assert.equal(await sameDocument(), true, "no reload");
    assert.deepEqual(errors, []);
    await page.close();
  } finally {
    await close();
    await doctor?.stop();
    await server.close();
    await world.close();
  }
});

/**
 * Every page of the top navigation and of the console at 390 px (a phone,
 * in Chromium's mobile emulation): the page itself never scrolls sideways
 * (a wide table scrolls inside its own box) and the navigation stays on
 * screen.
 */
import assert from "node:assert/strict";
import { logInThroughPage, serveConsoleUi } from "./console_browser_helpers.ts";

const PAGES = [
  "/",
  "/demands",
  "/orders",
  "/balances",
  "/monitor",
  "/monitor?range=24h",
  "/groups",
  "/console",
  "/console/cluster",
  "/console/topics",
  "/console/topics/__consumer_offsets",
  "/console/topics/__consumer_offsets?tab=settings",
  "/console/topics/__consumer_offsets?tab=consumers",
  "/console/messages",
  "/console/groups",
  "/console/dlq",
  "/console/schemas",
  "/console/acls",
  "/console/audit",
];

Deno.test({
  name: "browser narrow - no page scrolls sideways at 390 px",
  async fn() {
    const ui = await serveConsoleUi({ timeoutMs: 240_000 });
    try {
      const page = await ui.newTab();
      await logInThroughPage(page, ui.url, "operator", "/console");
      await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
      const wide: string[] = [];
      for (const path of PAGES) {
        await page.goto(`${ui.url}${path}`, { waitUntil: "domcontentloaded" });
        const { scrollWidth, nav, widest } = await page.evaluate(() => {
          // The innermost elements reaching past the screen: what made the page wide.
          const past = [...document.querySelectorAll("body *")].filter((e) =>
            e.getBoundingClientRect().right > 390 &&
            ![...e.children].some((c) => c.getBoundingClientRect().right > 390)
          );
          return {
            scrollWidth: document.documentElement.scrollWidth,
            nav: document.querySelector("header.site nav")?.getBoundingClientRect().right ?? 0,
            widest: past.slice(0, 3).map((e) =>
              `<${e.tagName.toLowerCase()}${e.className ? ` class="${e.className}"` : ""}> ${
                (e.textContent ?? "").trim().slice(0, 60)
              }`
            ),
          };
        });
        if (scrollWidth > 390 || nav > 390) {
          wide.push(
            `${path}: ${scrollWidth} px (nav ${nav}); past the edge: ${widest.join(" | ")}`,
          );
        }
      }
      assert.deepEqual(wide, [], "pages wider than the phone");
    } finally {
      await ui.close();
    }
  },
});

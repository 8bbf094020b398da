import assert from "node:assert/strict";
import { isCurrent } from "./nav.ts";

Deno.test("isCurrent - a page and its sub-pages, never a sibling sharing a prefix", () => {
  const orders = { href: "/orders", label: "Orders", description: "" };
  assert.ok(isCurrent(orders, "/orders"));
  assert.ok(isCurrent(orders, "/orders/clients"));
  assert.ok(!isCurrent(orders, "/ordersx"));
  assert.ok(!isCurrent(orders, "/"));
  const home = { href: "/", label: "Home", description: "" };
  assert.ok(isCurrent(home, "/"));
  assert.ok(!isCurrent(home, "/orders"), "home is current on / only");
});

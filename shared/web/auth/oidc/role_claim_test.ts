import assert from "node:assert/strict";
import { claimValues, roleFromClaims, userNameFromClaims } from "./role_claim.ts";

const CONFIG = {
  roleClaim: "realm_access.roles",
  operatorValues: ["kafka-ops"],
  viewerValues: ["kafka-read", "staff"],
  name: "Keycloak",
};

Deno.test("role claim - paths, lists and strings; operator wins; none is a reason", () => {
  assert.deepEqual(claimValues({ realm_access: { roles: ["a", 1, "b"] } }, "realm_access.roles"), [
    "a",
    "b",
  ]);
  assert.deepEqual(claimValues({ roles: "a b,c" }, "roles"), ["a", "b", "c"]);
  assert.deepEqual(claimValues({ roles: { x: 1 } }, "roles"), []);
  assert.deepEqual(claimValues({}, "a.b.c"), []);
  assert.deepEqual(roleFromClaims({ realm_access: { roles: ["staff", "kafka-ops"] } }, CONFIG), {
    role: "operator",
  });
  assert.deepEqual(roleFromClaims({ realm_access: { roles: ["staff"] } }, CONFIG), {
    role: "viewer",
  });
  const none = roleFromClaims({}, CONFIG);
  assert.ok("reason" in none && /has no realm_access\.roles claim/.test(none.reason));
  const other = roleFromClaims({ realm_access: { roles: ["guest"] } }, CONFIG);
  assert.ok(
    "reason" in other &&
      /\(guest\) gives no role in Freshet \(expected one of kafka-ops, kafka-read, staff\)/.test(
        other.reason,
      ),
  );
  assert.equal(
    userNameFromClaims({ preferred_username: " ana ", email: "a@x" }, "preferred_username"),
    "ana",
  );
  assert.equal(userNameFromClaims({ email: "a@x", sub: "1" }, "preferred_username"), "a@x");
  assert.equal(userNameFromClaims({ sub: "1" }, "upn"), "1");
});

/**
 * A signed-in user's role from the provider's claims: the claim at
 * `roleClaim` (a dotted path reads into objects: Keycloak's
 * `realm_access.roles`), a string or a list of strings (space- or
 * comma-separated in one string too), mapped by the configured values.
 * Operator wins over viewer; neither is a refusal naming what was found.
 */
import type { Role } from "../users.ts";
import type { OidcConfig } from "./oidc_config.ts";

/** The claim's values at `path` in `claims` (empty when absent). */
export function claimValues(claims: Record<string, unknown>, path: string): string[] {
  let value: unknown = claims;
  for (const key of path.split(".")) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return [];
    value = (value as Record<string, unknown>)[key];
  }
  if (typeof value === "string") return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

/** The role, or the reason there is none (a refusal to show the user). */
export function roleFromClaims(
  claims: Record<string, unknown>,
  config: Pick<OidcConfig, "roleClaim" | "operatorValues" | "viewerValues" | "name">,
): { role: Role } | { reason: string } {
  const values = claimValues(claims, config.roleClaim);
  if (values.some((v) => config.operatorValues.includes(v))) return { role: "operator" };
  if (values.some((v) => config.viewerValues.includes(v))) return { role: "viewer" };
  const expected = [...config.operatorValues, ...config.viewerValues].join(", ");
  return {
    reason: values.length === 0
      ? `your ${config.name} account has no ${config.roleClaim} claim, so no role in Freshet ` +
        `(expected one of ${expected}); ask your administrator`
      : `your ${config.name} account's ${config.roleClaim} (${values.slice(0, 10).join(", ")}) ` +
        `gives no role in Freshet (expected one of ${expected}); ask your administrator`,
  };
}

/** The user name to show and audit: the configured claim, else `email`, else `sub`. */
export function userNameFromClaims(claims: Record<string, unknown>, usernameClaim: string): string {
  for (const name of [usernameClaim, "email", "sub"]) {
    const value = claims[name];
    if (typeof value === "string" && value.trim() !== "") return value.trim().slice(0, 100);
  }
  return "unknown";
}

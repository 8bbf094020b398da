/**
 * The hidden CSRF field every form of a logged-in page carries (see
 * csrf_token.ts): `<CsrfField state={props.state} />` inside the `<form>`.
 */
import type { RouteState } from "../route_types.ts";
import { CSRF_FIELD } from "./csrf_token.ts";

/** Props of CsrfField. */
export interface CsrfFieldProps {
  /** The page's state (`csrfToken` is set when a session is open). */
  state: RouteState;
}

/** The hidden input, or nothing when no session is open. */
export function CsrfField({ state }: CsrfFieldProps) {
  if (!state.csrfToken) return null;
  return <input type="hidden" name={CSRF_FIELD} value={state.csrfToken} />;
}

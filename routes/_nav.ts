/**
 * The app's pages, in the order the header lists them: home, then each
 * service's pages (its module's `web.nav`, in the root list's order). The
 * shell (`_app.tsx`) and the home page read this one list, so a new page is
 * linked everywhere by adding it to its service's module.
 */
import { SERVICES } from "../freshet.ts";
import { navOf } from "../shared/service/registry.ts";
import type { NavItem } from "../shared/web/nav.ts";

export { isCurrent, type NavItem } from "../shared/web/nav.ts";

/** Every page of the app. */
export const NAV: readonly NavItem[] = [
  { href: "/", label: "Home", description: "The services and their consumers, live." },
  ...navOf(SERVICES),
];

/**
 * The app's navigation: each service lists its pages in its module
 * (`web.nav`); the shell (`routes/_app.tsx`) and the home page read the one
 * list the root builds from them (`routes/_nav.ts`).
 */

/** One entry of the navigation. */
export interface NavItem {
  href: string;
  label: string;
  /** What the page is for, shown on the home page. */
  description: string;
}

/** Whether `item` is the page at `pathname` (or one of its sub-pages). */
export function isCurrent(item: NavItem, pathname: string): boolean {
  if (item.href === "/") return pathname === "/";
  return pathname === item.href || pathname.startsWith(`${item.href}/`);
}

/**
 * The app's pages, in the order the header lists them. The shell
 * (`_app.tsx`) and the home page read this one list, so a new page is
 * linked everywhere by adding it here.
 */

/** One entry of the navigation. */
export interface NavItem {
  href: string;
  label: string;
  /** What the page is for, shown on the home page. */
  description: string;
}

/** Every page of the app. */
export const NAV: readonly NavItem[] = [
  { href: "/", label: "Home", description: "The services and their consumers, live." },
  {
    href: "/demands",
    label: "Demands",
    description: "On-duty demands (seed 000): assume or ignore them, send a new one.",
  },
  {
    href: "/orders",
    label: "Orders",
    description: "Orders and payments (seed 001): create an order, watch payments decide it.",
  },
  {
    href: "/balances",
    label: "Balances",
    description: "Account balances from the compacted topic contas (seed 003).",
  },
  {
    href: "/monitor",
    label: "Monitor",
    description:
      "Every topic's traffic and every group's lag over time, in live charts (seed 000).",
  },
  {
    href: "/groups",
    label: "Groups",
    description:
      "Every consumer group: lag in messages and in time, Burrow-style status, members (seed 001).",
  },
  {
    href: "/console",
    label: "Console",
    description:
      "The Kafka console (login): topics, messages, produce, groups, dead letters, ACLs, audit.",
  },
];

/** Whether `item` is the page at `pathname` (or one of its sub-pages). */
export function isCurrent(item: NavItem, pathname: string): boolean {
  if (item.href === "/") return pathname === "/";
  return pathname === item.href || pathname.startsWith(`${item.href}/`);
}

/**
 * The console's own navigation, under the site header on every console
 * page, with the current section marked, and who is logged in.
 */
import type { RouteState } from "../../../shared/web/route_types.ts";
import { CONSOLE_SECTIONS } from "./sections.ts";

/** Props of ConsoleNav. */
export interface ConsoleNavProps {
  url: URL;
  state: RouteState;
}

/** A topic's messages belong to Messages, not Topics (the pages are under the topic's path). */
const MESSAGES_PAGE = /^\/console\/topics\/[^/]+\/messages(\/|$)/;

function isCurrent(href: string, pathname: string): boolean {
  if (MESSAGES_PAGE.test(pathname)) return href === "/console/messages";
  return pathname === href || pathname.startsWith(`${href}/`);
}

/** The section links. */
export function ConsoleNav({ url, state }: ConsoleNavProps) {
  return (
    <nav class="console-nav" aria-label="Console">
      <a href="/console" aria-current={url.pathname === "/console" ? "page" : undefined}>
        Console
      </a>
      <ul>
        {CONSOLE_SECTIONS.map((section) => (
          <li>
            <a
              href={section.href}
              aria-current={isCurrent(section.href, url.pathname) ? "page" : undefined}
            >
              {section.label}
            </a>
          </li>
        ))}
      </ul>
      {state.user && (
        <span class="who">
          {state.user.name} ({state.user.role})
        </span>
      )}
    </nav>
  );
}

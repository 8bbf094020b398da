/**
 * The shell of every page (Fresh's `_app.tsx`): one header navigation with
 * the current page marked, plain links that work without JavaScript.
 */
import type { AppProps } from "../shared/web/mod.ts";
import { isCurrent, NAV } from "./_nav.ts";

/** Wraps each page in the site header. */
export default function App({ Component, url }: AppProps) {
  return (
    <>
      <header class="site">
        <nav aria-label="Freshet">
          <a class="brand" href="/">Freshet</a>
          <ul>
            {NAV.filter((item) => item.href !== "/").map((item) => (
              <li>
                <a
                  href={item.href}
                  aria-current={isCurrent(item, url.pathname) ? "page" : undefined}
                >
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <Component />
    </>
  );
}

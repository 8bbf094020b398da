/**
 * The shell of every page (Fresh's `_app.tsx`): one header navigation with
 * the current page marked, plain links that work without JavaScript, and
 * who is logged in (with a log-out button) or a log-in link; below a page
 * that shows times, how they are shown (islands/PageTools.tsx).
 */
import type { AppProps } from "../shared/web/mod.ts";
import { CsrfField } from "../shared/web/auth/mod.ts";
import { isCurrent, NAV } from "./_nav.ts";
import { pageFeatures, resetPageFeatures } from "../shared/web/page_features.ts";
import PageTools from "../islands/PageTools.tsx";

/**
 * The footer of a page whose times, tables or copy buttons the browser
 * enhances (rendered after the page, so it knows what the page used).
 */
function ToolsFooter() {
  const features = pageFeatures();
  if (features.length === 0) return null;
  if (!features.includes("times")) return <PageTools features={features} />;
  return (
    <footer class="site-footer">
      <PageTools features={features} />
    </footer>
  );
}

/** Wraps each page in the site header. */
export default function App({ Component, url, state }: AppProps) {
  resetPageFeatures();
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
          {state.user
            ? (
              <form method="post" action="/logout" class="session">
                <CsrfField state={state} />
                <span class="who">{state.user.name}</span> <button type="submit">Log out</button>
              </form>
            )
            : url.pathname !== "/login" && (
              <a class="session" href={`/login?next=${encodeURIComponent(url.pathname)}`}>
                Log in
              </a>
            )}
        </nav>
      </header>
      <Component />
      <ToolsFooter />
    </>
  );
}

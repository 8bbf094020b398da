/**
 * `/console`: the Kafka console's landing page, linking its sections.
 */
import type { PageProps, RouteAccess } from "../../shared/web/mod.ts";
import { ConsoleNav } from "../../services/console/web/console_nav.tsx";
import { CONSOLE_SECTIONS } from "../../services/console/web/sections.ts";

/** The page title. */
export const title = "Console · Freshet";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** The landing page. */
export default function Console({ url, state }: PageProps) {
  return (
    <main class="page">
      <ConsoleNav url={url} state={state} />
      <h1>Kafka console</h1>
      <p class="lead">
        The broker as Freshet's <code>console</code>{" "}
        principal sees it. Viewers read everything; operators may also change things, and every
        change is audited.
      </p>
      <dl class="site-map">
        {CONSOLE_SECTIONS.map((section) => (
          <>
            <dt>
              <a href={section.href}>{section.label}</a>
            </dt>
            <dd>{section.description}</dd>
          </>
        ))}
      </dl>
    </main>
  );
}

/**
 * The HTML error page: the app's `routes/_404.tsx` for a 404 when there is
 * one, a plain page otherwise. The message is rendered as text.
 */
import type { ComponentType } from "preact";
import type { HttpError } from "./http_error.ts";
import { type DocumentAssets, renderDocument } from "./render.ts";
import type { PageProps } from "./route_types.ts";

/** Data given to an error page. */
export interface ErrorPageData {
  status: number;
  message: string;
}

function DefaultErrorPage({ data }: PageProps<ErrorPageData>) {
  return (
    <main class="error">
      <h1>{data.status}</h1>
      <p>{data.message}</p>
      <p>
        <a href="/">Back to the home page</a>
      </p>
    </main>
  );
}

/** Renders error pages with `notFound` (from `routes/_404.tsx`) for 404s. */
export function errorPageRenderer(
  assets: DocumentAssets,
  notFound?: ComponentType<PageProps<ErrorPageData>>,
) {
  return (req: Request, error: HttpError): Response => {
    const page = error.status === 404 && notFound ? notFound : DefaultErrorPage;
    const props: PageProps<ErrorPageData> = {
      data: { status: error.status, message: error.message },
      url: new URL(req.url),
      params: {},
      state: {},
    };
    return renderDocument(page, props, assets, {
      title: `${error.status} · Freshet`,
      init: { status: error.status },
    });
  };
}

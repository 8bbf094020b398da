/** The page of a URL no route answers. */
import type { PageProps } from "../shared/web/mod.ts";

/** Says the path has no page and links home (the path is rendered as text). */
export default function NotFound({ url }: PageProps<{ status: number; message: string }>) {
  return (
    <main class="page">
      <h1>Page not found</h1>
      <p>
        Nothing lives at <code>{url.pathname}</code>.
      </p>
      <p>
        <a href="/">Back to the home page</a>
      </p>
    </main>
  );
}

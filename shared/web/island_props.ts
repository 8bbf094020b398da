/**
 * Island props travel from the server to the browser as JSON in an HTML
 * attribute. They are escaped twice over: `<`, `>`, `&` and the JavaScript
 * line separators become `\uXXXX` escapes (so the markup never contains a
 * `</script>` or `<script>` even before attribute escaping), then the
 * renderer escapes the attribute itself.
 */

const UNSAFE = /[<>&\u2028\u2029]/g;

/** JSON of an island's props, safe to embed anywhere in HTML. */
export function serializeIslandProps(name: string, props: Record<string, unknown>): string {
  if (props.children !== undefined) {
    throw new TypeError(`island ${name}: children cannot be sent to the browser; pass data props`);
  }
  const json = JSON.stringify(props, (key, value) => {
    if (typeof value === "function" || typeof value === "symbol") {
      throw new TypeError(
        `island ${name}: prop "${key}" is not JSON (functions stay on the server)`,
      );
    }
    if (typeof value === "bigint") return value.toString();
    return value;
  });
  return json.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

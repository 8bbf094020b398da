/**
 * Pretty-prints JSON text without parsing it into values, so a console
 * shows numbers exactly as they were sent (`JSON.parse` would turn an id
 * like 12345678901234567890 into 12345678901234567000).
 */

/** Whether `text` is a JSON object or array (what the console pretty-prints). */
export function isJsonDocument(text: string): boolean {
  const first = text.trimStart()[0];
  if (first !== "{" && first !== "[") return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** `text` (valid JSON) re-indented by two spaces; strings and numbers kept verbatim. */
export function prettyJson(text: string): string {
  let out = "";
  let depth = 0;
  let i = 0;
  const n = text.length;
  const newline = () => "\n" + "  ".repeat(depth);
  while (i < n) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === " " || c === "\n" || c === "\r" || c === "\t") {
      i++;
      continue;
    }
    if (c === "{" || c === "[") {
      let j = i + 1;
      while (j < n && /\s/.test(text[j])) j++;
      if (text[j] === (c === "{" ? "}" : "]")) {
        out += c + text[j];
        i = j + 1;
        continue;
      }
      depth++;
      out += c + newline();
    } else if (c === "}" || c === "]") {
      depth--;
      out += newline() + c;
    } else if (c === ",") {
      out += "," + newline();
    } else if (c === ":") {
      out += ": ";
    } else {
      out += c;
    }
    i++;
  }
  return out;
}

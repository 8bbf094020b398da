/**
 * The line format shared by kafka-topics.txt and kafka-acls.txt:
 * whitespace-separated fields, `#` comments, blank lines ignored, and
 * problems reported as `file:line: reason`.
 */

/** One line that holds fields, with its 1-based line number. */
export interface FileLine {
  line: number;
  fields: string[];
}

/** One or more malformed lines of a provisioning file; nothing was applied. */
export class ProvisionFileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "ProvisionFileError";
  }
}

/** `file:line: reason`, the form every parse problem takes. */
export function problemAt(fileName: string, line: number, reason: string): string {
  return `${fileName}:${line}: ${reason}`;
}

/**
 * The lines of `text` that hold fields. A `#` at the start of a line or
 * after whitespace starts a comment (topic and group names never hold `#`
 * after a space, since they cannot hold spaces).
 */
export function fieldLines(text: string): FileLine[] {
  const result: FileLine[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const content = raw.replace(/(^|\s)#.*$/, "").trim();
    if (content !== "") result.push({ line: index + 1, fields: content.split(/\s+/) });
  });
  return result;
}

/** Quotes a value for a problem message. */
export function quoted(value: string): string {
  return JSON.stringify(value);
}

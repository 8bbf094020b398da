/**
 * Questions for an interactive CLI: `prompt()` on a terminal; from a pipe
 * (where Deno's `prompt()` returns null at once), the next line of stdin,
 * echoed after the question, so the interactive mode can also be scripted:
 * `printf '1\n150\n' | deno task produce:balances`.
 */

async function* lines(stream: ReadableStream<Uint8Array<ArrayBuffer>>): AsyncGenerator<string> {
  let buffer = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, nl).replace(/\r$/, "");
      buffer = buffer.slice(nl + 1);
    }
  }
  if (buffer !== "") yield buffer;
}

/** Asks `question`; resolves to the answer, or null at the end of input (Ctrl-D). */
export type Ask = (question: string) => Promise<string | null>;

/** An `Ask` reading the terminal or, when stdin is not one, stdin's lines. */
export function stdinAsk(): Ask {
  if (Deno.stdin.isTerminal()) return (question) => Promise.resolve(prompt(question));
  const input = lines(Deno.stdin.readable);
  return async (question) => {
    const next = await input.next();
    if (next.done) return null;
    console.log(`${question} ${next.value}`);
    return next.value;
  };
}

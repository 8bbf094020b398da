/** The tour's pause between steps: Enter goes on, `q` (or end of input) stops. */

/** Asks on standard output and reads one line of standard input; false to stop. */
export async function askToContinue(): Promise<boolean> {
  const encoder = new TextEncoder();
  await Deno.stdout.write(encoder.encode("\n[Enter] next step · [q] stop › "));
  const buffer = new Uint8Array(256);
  let line = "";
  for (;;) {
    const n = await Deno.stdin.read(buffer);
    if (n === null) return false;
    line += new TextDecoder().decode(buffer.subarray(0, n));
    if (line.includes("\n")) break;
  }
  return !/^\s*q/i.test(line);
}

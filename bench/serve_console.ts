/**
 * The console bench's web server on its own, for measuring it from
 * outside (`deno run -P=bench bench/serve_console.ts PORT`): the same
 * server as the console and export benches, its URL and a viewer's
 * `Authorization` header printed as one JSON line; stops on SIGINT/SIGTERM.
 */
import { startConsoleServer } from "./console_server.ts";

const port = Number(Deno.args[0] ?? "0");
const dataDir = await Deno.makeTempDir({ prefix: "freshet-serve-console-" });
const server = await startConsoleServer(dataDir, port);
console.log(JSON.stringify({ url: server.url, authorization: server.headers.authorization }));
const stop = async () => {
  await server.close();
  await Deno.remove(dataDir, { recursive: true });
  Deno.exit(0);
};
Deno.addSignalListener("SIGINT", stop);
Deno.addSignalListener("SIGTERM", stop);

/**
 * The bus bridge: `BroadcastChannel` only reaches Workers of one process,
 * so the web server listens on a Unix socket (`data/bus.sock`) and a
 * consumer started as its own process forwards its bus messages there, one
 * JSON line each. The server republishes them on its own bus, so open pages
 * see a standalone consumer's updates as fast as a Worker's.
 */
import { addForwarder, type BusMessage, republish } from "./bus.ts";
import { createLogger } from "../core/log.ts";
import { ProgramError } from "../core/errors.ts";

const log = createLogger("bus-bridge");

/** Default socket path, inside the data folder. */
export function busSocketPath(dataDir: string): string {
  return `${dataDir}/bus.sock`;
}

/**
 * Server side: accepts bridged processes and republishes their messages. A
 * socket left by a server that ended is replaced; one another server still
 * listens on is refused (ProgramError), never taken over. `close()` removes
 * the socket, if it is still there.
 */
export async function listenBusBridge(path: string): Promise<{ close(): void }> {
  if (await listening(path)) {
    throw new ProgramError(
      `${path} is in use by another Freshet server (its standalone consumers report through ` +
        "it): stop that server, or give this one its own DATA_DIR",
    );
  }
  await Deno.remove(path).catch(() => {});
  const listener = Deno.listen({ transport: "unix", path });
  const conns = new Set<Deno.Conn>();
  (async () => {
    for await (const conn of listener) {
      conns.add(conn);
      readLines(conn).catch(() => {}).finally(() => conns.delete(conn));
    }
  })().catch(() => {});
  return {
    close() {
      listener.close();
      for (const conn of conns) {
        try {
          conn.close();
        } catch { /* closed */ }
      }
      try {
        Deno.removeSync(path);
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error; // already gone
      }
    },
  };
}

/** Whether a server accepts connections on the socket at `path`. */
async function listening(path: string): Promise<boolean> {
  try {
    const conn = await Deno.connect({ transport: "unix", path });
    conn.close();
    return true;
  } catch {
    return false;
  }
}

async function readLines(conn: Deno.Conn): Promise<void> {
  const lines = conn.readable.pipeThrough(new TextDecoderStream());
  let buffer = "";
  for await (const chunk of lines) {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        republish(JSON.parse(line) as BusMessage);
      } catch {
        log.warn("dropped a malformed bridged message");
      }
    }
  }
}

/**
 * Client side: forwards every message this process publishes to the
 * server's socket. While the server is away, messages are dropped (the bus
 * carries notifications, not data) and the connection is retried each second.
 */
export function connectBusBridge(path: string): { close(): void } {
  let conn: Deno.UnixConn | undefined;
  let writer: WritableStreamDefaultWriter<Uint8Array> | undefined;
  let closed = false;
  let connecting = false;
  const encoder = new TextEncoder();

  const connect = async () => {
    if (connecting || closed || writer) return;
    connecting = true;
    try {
      conn = await Deno.connect({ transport: "unix", path });
      writer = conn.writable.getWriter();
      log.debug("connected to the server's bus", { path });
    } catch {
      conn = undefined;
    } finally {
      connecting = false;
    }
  };
  const drop = () => {
    try {
      conn?.close();
    } catch { /* closed */ }
    conn = undefined;
    writer = undefined;
  };

  const stopForwarding = addForwarder((message) => {
    if (!writer) return;
    writer.write(encoder.encode(JSON.stringify(message) + "\n")).catch(drop);
  });
  connect();
  const timer = setInterval(connect, 1_000);
  Deno.unrefTimer(timer as unknown as number);

  return {
    close() {
      closed = true;
      clearInterval(timer);
      stopForwarding();
      drop();
    },
  };
}

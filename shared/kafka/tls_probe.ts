/**
 * Probes of a broker's port below Kafka's client: a TLS handshake (with the
 * peer's certificate chain), and a plaintext ApiVersions request whose
 * answer shows the port speaks plaintext Kafka. No login, no Kafka client.
 */
import net from "node:net";
import tls from "node:tls";

/** Milliseconds one probe waits for the broker (default). */
export const PROBE_TIMEOUT_MS = 5_000;

/** `host:port` split; `[::1]:9093` gives `::1`. */
export function splitBroker(broker: string): { host: string; port: number } {
  const at = broker.lastIndexOf(":");
  return { host: broker.slice(0, at).replace(/^\[|\]$/g, ""), port: Number(broker.slice(at + 1)) };
}

/** What a probe found: a value, or the socket's error. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: Error & { code?: string } };

/**
 * A TLS handshake with `options`; resolves with the socket's peer chain,
 * or the error. With `roundTrip`, it also waits for the broker's answer to
 * an ApiVersions request: with TLS 1.3 a broker refuses a client
 * certificate only after the client's side of the handshake is done.
 */
export function tlsHandshake(
  broker: string,
  options: tls.ConnectionOptions,
  timeoutMs: number,
  roundTrip = false,
): Promise<Outcome<tls.DetailedPeerCertificate>> {
  const { host, port } = splitBroker(broker);
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port,
      ...(net.isIP(host) ? {} : { servername: host }),
      ...options,
    });
    const done = (outcome: Outcome<tls.DetailedPeerCertificate>) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () =>
        done({ ok: false, error: Object.assign(new Error("timed out"), { code: "ETIMEDOUT" }) }),
      timeoutMs,
    );
    socket.once("secureConnect", () => {
      const value = socket.getPeerCertificate(true);
      if (!roundTrip) return done({ ok: true, value });
      const answer = kafkaAnswer(() => done({ ok: true, value }));
      socket.on("data", answer);
      socket.write(apiVersionsRequest());
    });
    socket.once("error", (error) => done({ ok: false, error }));
    socket.once(
      "close",
      () =>
        done({
          ok: false,
          error: Object.assign(new Error("connection closed"), { code: "ECONNRESET" }),
        }),
    );
  });
}

/** The correlation id of the probe's request ("FRES"). */
const CORRELATION_ID = 0x46524553;

/** An ApiVersions v0 request (API key 18), the probe's correlation id. */
function apiVersionsRequest(): Uint8Array {
  const clientId = new TextEncoder().encode("freshet-tls-probe");
  const body = new DataView(new ArrayBuffer(4 + 2 + 2 + 4 + 2 + clientId.length));
  body.setInt32(0, body.byteLength - 4);
  body.setInt16(4, 18);
  body.setInt16(6, 0);
  body.setInt32(8, CORRELATION_ID);
  body.setInt16(12, clientId.length);
  const bytes = new Uint8Array(body.buffer);
  bytes.set(clientId, 14);
  return bytes;
}

/** A `data` listener calling `onAnswer` once the bytes received start an answer to the request. */
function kafkaAnswer(onAnswer: () => void, onOther?: () => void): (chunk: Uint8Array) => void {
  let received = new Uint8Array(0);
  return (chunk) => {
    received = new Uint8Array([...received, ...chunk]);
    if (received.length < 8) return;
    const view = new DataView(received.buffer);
    if (view.getInt32(0) > 0 && view.getInt32(4) === CORRELATION_ID) onAnswer();
    else onOther?.();
  };
}

/** Whether `broker` answers a plaintext Kafka request (its first bytes, at least). */
export function speaksPlaintextKafka(
  broker: string,
  timeoutMs = PROBE_TIMEOUT_MS,
): Promise<boolean> {
  const { host, port } = splitBroker(broker);
  return new Promise((resolve) => {
    const socket = net.connect({ host, port }, () => socket.write(apiVersionsRequest()));
    const done = (answer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on("data", kafkaAnswer(() => done(true), () => done(false)));
    socket.once("error", () => done(false));
    socket.once("close", () => done(false));
  });
}

import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { brokerSans } from "../kafka/tls_certs.ts";

const FIXTURE = new URL("../kafka/tls_certs_fixture.ts", import.meta.url).pathname;

/** One start's certificate work, in a child that may run keytool. */
async function ensure(dir: string, hosts: string[], now?: Date) {
  const out = await new Deno.Command("deno", {
    args: [
      "run",
      "--allow-run=keytool",
      `--allow-read=${dir}`,
      `--allow-write=${dir}`,
      FIXTURE,
      dir,
      hosts.join(","),
      ...(now ? [now.toISOString()] : []),
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout)) as { renewed: string; problem?: string };
}

const read = (path: string) => Deno.readTextFile(path);
const years = (n: number) => new Date(Date.now() + n * 365 * 86_400_000);

Deno.test("local cluster TLS - subject alternative names: every node address and localhost", () => {
  assert.equal(brokerSans(["127.0.0.2", "127.0.0.3"]), "ip:127.0.0.2,ip:127.0.0.3,dns:localhost");
  assert.equal(brokerSans(["localhost", "kafka.test"]), "dns:localhost,dns:kafka.test");
});

Deno.test({
  name:
    "local cluster TLS - made at first start, reused, renewed when missing, expiring or not covering a node",
  sanitizeResources: false,
  async fn(t) {
    const dir = await Deno.makeTempDir({ prefix: "freshet-tls-certs-" });
    const hosts = ["127.0.0.2", "127.0.0.3"];
    try {
      await t.step(
        "first start: a CA and a broker certificate it signed, private files 0600",
        async () => {
          assert.deepEqual(await ensure(dir, hosts), { renewed: "ca" });
          const ca = new X509Certificate(await read(`${dir}/ca.pem`));
          const broker = new X509Certificate(await read(`${dir}/broker.pem`));
          assert.ok(ca.ca);
          assert.match(ca.subject, /CN=Freshet local CA [0-9a-f]{8}/);
          assert.ok(broker.checkIssued(ca) && broker.verify(ca.publicKey));
          for (const host of hosts) assert.equal(broker.checkIP(host), host);
          assert.equal(broker.checkHost("localhost"), "localhost");
          for (const file of ["ca.p12", "broker.p12", "store.password"]) {
            assert.equal((await Deno.stat(`${dir}/${file}`)).mode! & 0o777, 0o600, file);
          }
        },
      );
      const ca = await read(`${dir}/ca.pem`);
      await t.step("the next start reuses both", async () => {
        const broker = await read(`${dir}/broker.pem`);
        assert.deepEqual(await ensure(dir, hosts), { renewed: "reused" });
        assert.equal(await read(`${dir}/ca.pem`), ca);
        assert.equal(await read(`${dir}/broker.pem`), broker);
      });
      await t.step(
        "a broker certificate expiring within 30 days is renewed under the same CA",
        async () => {
          const broker = await read(`${dir}/broker.pem`);
          // Judged from 2.2 years on: the new certificate (made today) would expire again by then.
          assert.equal((await ensure(dir, hosts, years(2.2))).renewed, "broker");
          assert.equal(await read(`${dir}/ca.pem`), ca, "clients keep trusting the same CA");
          assert.notEqual(await read(`${dir}/broker.pem`), broker);
        },
      );
      await t.step("a node the certificate does not cover, or a missing keystore", async () => {
        const more = [...hosts, "127.0.0.4"];
        assert.deepEqual(await ensure(dir, more), { renewed: "broker" });
        assert.equal(
          new X509Certificate(await read(`${dir}/broker.pem`)).checkIP("127.0.0.4"),
          "127.0.0.4",
        );
        await Deno.remove(`${dir}/broker.p12`);
        assert.deepEqual(await ensure(dir, more), { renewed: "broker" });
        assert.equal(await read(`${dir}/ca.pem`), ca);
      });
      await t.step(
        "an expiring or missing CA is made again, with a new broker certificate",
        async () => {
          assert.equal((await ensure(dir, hosts, years(11))).renewed, "ca");
          const renewed = await read(`${dir}/ca.pem`);
          assert.notEqual(renewed, ca);
          await Deno.remove(`${dir}/ca.p12`);
          assert.deepEqual(await ensure(dir, hosts), { renewed: "ca" });
          assert.notEqual(await read(`${dir}/ca.pem`), renewed);
          const broker = new X509Certificate(await read(`${dir}/broker.pem`));
          assert.ok(broker.checkIssued(new X509Certificate(await read(`${dir}/ca.pem`))));
        },
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

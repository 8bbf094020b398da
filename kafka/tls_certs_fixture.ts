/**
 * `deno run --allow-run=keytool --allow-read=DIR --allow-write=DIR
 * tls_certs_fixture.ts DIR HOSTS [NOW]`: runs `ensureTlsMaterial` once (the
 * tests may not run keytool themselves) and prints what it did as JSON:
 * `{"renewed", "problem"}`, `problem` being why the broker certificate
 * would be renewed after the run (none: it is good).
 */
import { brokerCertificateProblem, ensureTlsMaterial } from "./tls_certs.ts";

const [dir, hosts, now] = Deno.args;
const at = now ? new Date(now) : undefined;
const list = hosts.split(",");
const { renewed } = await ensureTlsMaterial({ dir, hosts: list, now: at });
console.log(JSON.stringify({ renewed, problem: await brokerCertificateProblem(dir, list, at) }));

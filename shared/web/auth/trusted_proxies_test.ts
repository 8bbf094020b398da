import assert from "node:assert/strict";
import { addressBytes, TrustedProxies } from "./trusted_proxies.ts";

Deno.test("trusted proxies - addresses and CIDR blocks, IPv4 and IPv6", () => {
  const proxies = new TrustedProxies(["10.0.0.0/8", "192.168.1.7", "fd00::/8", "::1"]);
  for (const trusted of ["10.1.2.3", "192.168.1.7", "fd12:3456::1", "::1", "::ffff:10.9.9.9"]) {
    assert.ok(proxies.trusts(trusted), trusted);
  }
  for (const other of ["11.0.0.1", "192.168.1.8", "fe80::1", "::2", "local", "", undefined]) {
    assert.ok(!proxies.trusts(other), String(other));
  }
  assert.deepEqual([...addressBytes("2001:db8::1")!].slice(0, 4), [0x20, 0x01, 0x0d, 0xb8]);
  for (const bad of ["10.0.0.0/33", "1.2.3", "::1::", "x", "10.0.0.0/8/1", "fd00::/129"]) {
    assert.throws(() => new TrustedProxies([bad]), RangeError, bad);
  }
});

Deno.test("trusted proxies - the client is the right-most untrusted hop", () => {
  const proxies = new TrustedProxies(["127.0.0.1", "10.0.0.0/8"]);
  assert.equal(proxies.clientOf("127.0.0.1", "203.0.113.9, 10.0.0.5"), "203.0.113.9");
  assert.equal(
    proxies.clientOf("127.0.0.1", "6.6.6.6, 203.0.113.9"),
    "203.0.113.9",
    "spoofed left part",
  );
  assert.equal(proxies.clientOf("198.51.100.1", "203.0.113.9"), "198.51.100.1", "untrusted peer");
  assert.equal(proxies.clientOf("127.0.0.1", "garbage, 203.0.113.9"), "203.0.113.9");
  assert.equal(proxies.clientOf("127.0.0.1", "203.0.113.9, garbage"), "127.0.0.1");
  assert.equal(proxies.clientOf("127.0.0.1", null), "127.0.0.1");
});

import assert from "node:assert/strict";
import { z } from "zod";
import {
  booleanFlag,
  ConfigError,
  hostPortList,
  listenPort,
  parseEnv,
  portNumber,
  positiveInt,
  readEnv,
} from "./config.ts";

Deno.test("parseEnv - each problem names the variable, the expected form and what was given", () => {
  const schema = z.object({ PORT: portNumber, BROKERS: hostPortList, ON: booleanFlag.optional() });
  try {
    parseEnv(schema, { PORT: "99999", BROKERS: "kafka", ON: "maybe" });
    assert.fail("accepted");
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    assert.deepEqual(error.problems, [
      'PORT: expected a port number (1-65535) (got "99999")',
      'BROKERS: expected host:port[,host:port...] (got "kafka")',
      'ON: expected true or false (got "maybe")',
    ]);
  }
  assert.deepEqual(parseEnv(schema, { PORT: "8080", BROKERS: " a:1, [::1]:2 ,", ON: "YES" }), {
    PORT: 8080,
    BROKERS: ["a:1", "[::1]:2"],
    ON: true,
  });
});

Deno.test("config schemas - the forms each accepts", async (t) => {
  await t.step("a listen port may be 0 (any free port), a port may not", () => {
    assert.equal(listenPort.parse("0"), 0);
    assert.throws(() => portNumber.parse("0"));
    assert.throws(() => listenPort.parse("1.5"));
  });
  await t.step("a positive integer", () => {
    assert.equal(positiveInt.parse("12"), 12);
    for (const bad of ["0", "-1", "2.5", "x"]) assert.throws(() => positiveInt.parse(bad), bad);
  });
  await t.step("booleans", () => {
    for (const v of ["true", "1", "yes", "TRUE"]) assert.equal(booleanFlag.parse(v), true, v);
    for (const v of ["false", "0", "no"]) assert.equal(booleanFlag.parse(v), false, v);
  });
  await t.step("an empty broker list is refused", () => {
    assert.throws(() => hostPortList.parse(" , "));
  });
});

Deno.test("readEnv - only the names asked for, an empty value as unset", () => {
  Deno.env.set("FRESHET_CONFIG_TEST_A", "a");
  Deno.env.set("FRESHET_CONFIG_TEST_B", "");
  try {
    assert.deepEqual(
      readEnv(["FRESHET_CONFIG_TEST_A", "FRESHET_CONFIG_TEST_B", "FRESHET_CONFIG_TEST_C"]),
      {
        FRESHET_CONFIG_TEST_A: "a",
      },
    );
  } finally {
    Deno.env.delete("FRESHET_CONFIG_TEST_A");
    Deno.env.delete("FRESHET_CONFIG_TEST_B");
  }
});

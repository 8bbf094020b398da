/**
 * `deno task topics [--dry-run] [--prune] [--topics FILE] [--acls FILE]`:
 * applies kafka-topics.txt and kafka-acls.txt to the cluster as the admin
 * principal and prints what it did. Exit codes: 0 done, 1 a topic or
 * binding failed (or the broker was unreachable), 2 a malformed file or
 * argument.
 */
import { parseArgs } from "node:util";
import { runMain } from "../shared/core/config.ts";
import { errorMessage } from "../shared/core/errors.ts";
import { createKafka } from "../shared/kafka/client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import {
  DEFAULT_ACLS_FILE,
  DEFAULT_TOPICS_FILE,
  formatSummary,
  provision,
  ProvisionFileError,
} from "../shared/provision/mod.ts";
import { PRINCIPALS } from "../freshet.ts";

const USAGE = `usage: deno task topics [--dry-run] [--prune] [--topics FILE] [--acls FILE]
  --dry-run      compare with the broker (which validates changes) but change nothing
  --prune        delete ACL bindings of Freshet principals that the ACL file does not list
  --topics FILE  topics file (default ${DEFAULT_TOPICS_FILE})
  --acls FILE    ACL file (default ${DEFAULT_ACLS_FILE})`;

const OPTIONS = {
  "dry-run": { type: "boolean", default: false },
  prune: { type: "boolean", default: false },
  topics: { type: "string", default: DEFAULT_TOPICS_FILE },
  acls: { type: "string", default: DEFAULT_ACLS_FILE },
  help: { type: "boolean", short: "h", default: false },
} as const;

function parseCli() {
  try {
    return parseArgs({ args: Deno.args, options: OPTIONS }).values;
  } catch (error) {
    console.error(`${errorMessage(error)}\n${USAGE}`);
    Deno.exit(2);
  }
}

await runMain(async () => {
  const values = parseCli();
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const kafka = createKafka(loadKafkaConfig("admin"), {
    clientSuffix: "provision",
    retries: 3,
  });
  try {
    const result = await provision({
      principals: PRINCIPALS,
      topicsFile: values.topics,
      aclsFile: values.acls,
      dryRun: values["dry-run"],
      prune: values.prune,
      kafka,
    });
    console.log(formatSummary(result));
    if (result.errors.length > 0) Deno.exit(1);
  } catch (error) {
    if (error instanceof ProvisionFileError) {
      console.error(`${error.message}\nnothing was applied`);
      Deno.exit(2);
    }
    console.error(`provisioning failed: ${errorMessage(error)}`);
    Deno.exit(1);
  }
});

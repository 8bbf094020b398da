/**
 * `deno task tour [--yes]`: walks a learner through each concept of seed
 * 002's learning plan on the live broker, one step at a time (tour/steps/):
 * each step does something real, prints what it did, what to notice and
 * the equivalent `deno task kafka:cli` commands, and checks what it claims
 * — a claim the broker does not bear out stops the tour with exit code 1.
 *
 * Interactive on a terminal (Enter for the next step, q to stop); with
 * `--yes`, without a terminal or with `CI=true` it runs straight through.
 * Whatever happens (a failure, q, Ctrl-C) it deletes its own topics,
 * groups, ACL bindings and files (all named after a random run id).
 */
import { parseArgs } from "node:util";
import { closeBus } from "../shared/bus/bus.ts";
import { errorMessage } from "../shared/core/errors.ts";
import { setLogLevel } from "../shared/core/log.ts";
import { isListening } from "../kafka/local_cluster.ts";
import { printCleanup, printFailure, printHeading, printReport, stdoutPrinter } from "./output.ts";
import { askToContinue } from "./prompt.ts";
import { TOUR_STEPS } from "./steps/mod.ts";
import { newRunId, Tour, TourCheckError } from "./tour.ts";

/** Where each run keeps its files (`data/tour/<run>/`), removed at the end. */
export const TOUR_DATA_DIR = "data/tour";

const USAGE = `usage: deno task tour [--yes]
  Walks through Kafka's concepts (seed 002) on the live broker, one step at a time.
  --yes, -y   run every step without waiting for Enter (also without a terminal or with CI=true)`;

function options() {
  try {
    return parseArgs({
      args: Deno.args,
      options: {
        yes: { type: "boolean", short: "y", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${errorMessage(error)}\n${USAGE}`);
    Deno.exit(2);
  }
}

async function main(): Promise<number> {
  const values = options();
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const interactive = !values.yes && Deno.stdin.isTerminal() && Deno.env.get("CI") !== "true";
  // The tour prints its own story; the kernel's logs would interleave with it.
  if (!Deno.env.get("LOG_LEVEL")) setLogLevel("error");
  const printer = stdoutPrinter();
  const run = newRunId();
  await Deno.mkdir(TOUR_DATA_DIR, { recursive: true });
  const tour = new Tour({
    run,
    dataDir: `${TOUR_DATA_DIR}/${run}`,
    say: (text) => printer.line(`  … ${text}`),
  });
  const { brokers } = tour.adminConfig;
  if (!Deno.env.get("KAFKA_BROKERS") && !(await isListening(9092))) {
    console.error(
      "No broker on 127.0.0.1:9092: start one (`deno task kafka` or `deno task dev`) " +
        "or set KAFKA_BROKERS.",
    );
    return 1;
  }
  printer.line(`Freshet tour of Kafka — run ${run}, broker ${brokers.join(",")}`);
  printer.line(
    `Every topic and group of this run starts with ${run}; all of them are deleted at the end.`,
  );
  if (interactive) printer.line("Press Enter after each step to go on, q to stop.");

  let stopping = false;
  const onSignal = () => {
    if (stopping) return;
    stopping = true;
    printer.line("\nStopping: cleaning up the run's topics, groups and ACLs…");
    tour.cleanup().then((report) => printCleanup(printer, run, report)).finally(() =>
      Deno.exit(130)
    );
  };
  Deno.addSignalListener("SIGINT", onSignal);

  let passed = 0;
  let code = 0;
  try {
    for (const [i, step] of TOUR_STEPS.entries()) {
      printHeading(printer, i + 1, TOUR_STEPS.length, step);
      tour.checked = [];
      const report = await step.run(tour);
      printReport(printer, report, tour.checked);
      passed++;
      if (interactive && i < TOUR_STEPS.length - 1 && !(await askToContinue())) {
        printer.line(`\nStopped after step ${passed} of ${TOUR_STEPS.length}.`);
        break;
      }
    }
    if (passed === TOUR_STEPS.length) {
      printer.line(`\nTour passed: ${passed} of ${TOUR_STEPS.length} steps, every claim checked.`);
    }
  } catch (error) {
    code = 1;
    const step = TOUR_STEPS[passed];
    const message = error instanceof TourCheckError
      ? `the tour claimed "${error.claim}", but ${error.detail}`
      : errorMessage(error);
    printFailure(printer, `Step ${passed + 1} (${step.title})`, message);
    printer.line(
      "The tour checks each claim on the live broker; this one did not hold. " +
        `Steps passed: ${passed} of ${TOUR_STEPS.length}.`,
    );
  } finally {
    if (!stopping) {
      Deno.removeSignalListener("SIGINT", onSignal);
      printCleanup(printer, run, await tour.cleanup());
    }
  }
  return code;
}

if (import.meta.main) {
  const code = await main();
  closeBus();
  Deno.exit(code);
}

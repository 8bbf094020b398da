/**
 * The topics kafka-topics.txt declares, under the deployment's topic
 * prefix, as the console compares them with the broker. A malformed file
 * is reported, not thrown: the console still shows the broker.
 */
import {
  DEFAULT_TOPICS_FILE,
  ProvisionFileError,
  readTopicsFile,
  type TopicSpec,
} from "../../../shared/provision/mod.ts";

/** What the topics file declares. */
export interface DeclaredTopics {
  /** Specs by their name on the broker (prefix included). */
  byName: Map<string, TopicSpec>;
  /** Why the file could not be read, if it could not. */
  problem?: string;
}

/** Reads `file` (default kafka-topics.txt) with every name under `prefix`. */
export async function readDeclaredTopics(
  prefix: string,
  file = DEFAULT_TOPICS_FILE,
): Promise<DeclaredTopics> {
  try {
    const specs = await readTopicsFile(file);
    return { byName: new Map(specs.map((s) => [`${prefix}${s.name}`, s])) };
  } catch (error) {
    const problem = error instanceof ProvisionFileError
      ? error.problems.join("; ")
      : error instanceof Deno.errors.NotFound
      ? `${file} not found`
      : String(error);
    return { byName: new Map(), problem };
  }
}

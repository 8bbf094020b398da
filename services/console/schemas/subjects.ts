/**
 * The Schema Registry as the console shows it: every subject with its
 * versions and latest schema's type, and each version of a subject (id,
 * type, schema text, pretty-printed when it is JSON). Read through the
 * deployment's registry (`SCHEMA_REGISTRY_URL`); without one, 503 naming it.
 */
import { HttpError } from "../../../shared/web/http_error.ts";
import type { SchemaValues } from "../../../shared/schema/schema_values.ts";
import { schemaValuesFromEnv } from "../../../shared/schema/schema_env.ts";
import type { RegisteredSchema } from "../../../shared/schema/registry_client.ts";
import { prettyJson } from "../messages/json_pretty.ts";

/** A subject in the list. */
export interface SubjectSummary {
  subject: string;
  versions: number[];
  latest: { id: number; version: number; schemaType: string };
}

/** One version of a subject. */
export interface SchemaVersion {
  subject?: string;
  version?: number;
  id: number;
  schemaType: string;
  /** The schema text (pretty-printed JSON for Avro and JSON Schema). */
  schema: string;
}

/** The registry, or 503 saying none is configured. */
export function registryOrFail(): SchemaValues {
  const values = schemaValuesFromEnv();
  if (!values) {
    throw new HttpError(
      503,
      "no Schema Registry is configured: set SCHEMA_REGISTRY_URL (deno task registry runs one)",
    );
  }
  return values;
}

/** A registry failure as an HttpError (404 stays 404; unreachable is 502). */
function registryError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const status = (error as { status?: number }).status;
  return new HttpError(status === 404 ? 404 : 502, (error as Error).message, { cause: error });
}

function shown(schema: RegisteredSchema): SchemaVersion {
  return {
    subject: schema.subject,
    version: schema.version,
    id: schema.id,
    schemaType: schema.schemaType,
    schema: schema.schemaType === "PROTOBUF" ? schema.schema : prettyJson(schema.schema),
  };
}

/** Every subject, by name. */
export async function listSubjects(values: SchemaValues): Promise<SubjectSummary[]> {
  try {
    const subjects = (await values.client.subjects()).sort();
    return await Promise.all(subjects.map(async (subject) => {
      const [versions, latest] = await Promise.all([
        values.client.versions(subject),
        values.client.version(subject, "latest"),
      ]);
      return {
        subject,
        versions,
        latest: { id: latest.id, version: latest.version!, schemaType: latest.schemaType },
      };
    }));
  } catch (error) {
    throw registryError(error);
  }
}

/** Every version of `subject`, newest first. */
export async function subjectVersions(
  values: SchemaValues,
  subject: string,
): Promise<SchemaVersion[]> {
  try {
    const versions = await values.client.versions(subject);
    const all = await Promise.all(versions.map((v) => values.client.version(subject, v)));
    return all.map(shown).sort((a, b) => (b.version ?? 0) - (a.version ?? 0));
  } catch (error) {
    throw registryError(error);
  }
}

/** The schema with `id`. */
export async function schemaById(values: SchemaValues, id: number): Promise<SchemaVersion> {
  try {
    return shown(await values.client.schemaById(id));
  } catch (error) {
    throw registryError(error);
  }
}

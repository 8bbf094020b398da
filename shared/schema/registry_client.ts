/**
 * A client of a Confluent-compatible Schema Registry (Confluent's, or
 * Apicurio's `/apis/ccompat/v6`): schemas by id (cached: an id never
 * changes), subjects and their versions, registering and looking up a
 * schema under a subject.
 */
import { FreshetError } from "../core/errors.ts";
import { type SchemaType, schemaTypeOf } from "./schema_type.ts";

/** A schema as the registry holds it. */
export interface RegisteredSchema {
  id: number;
  schemaType: SchemaType;
  schema: string;
  subject?: string;
  version?: number;
}

/** The registry refused or could not be reached; `retriable` when it may pass. */
export class SchemaRegistryError extends FreshetError {
  constructor(message: string, readonly status: number, code = "SCHEMA_REGISTRY") {
    super(message, { code, retriable: status === 0 || status >= 500 });
    this.name = "SchemaRegistryError";
  }
}

const CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

/** Talks to the registry at `baseUrl` (e.g. `http://127.0.0.1:8081/apis/ccompat/v6`). */
export class SchemaRegistryClient {
  readonly baseUrl: string;
  #byId = new Map<number, Promise<RegisteredSchema>>();

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  async #call<T>(path: string, init: RequestInit = {}): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        ...init,
        headers: { accept: CONTENT_TYPE, "content-type": CONTENT_TYPE },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (cause) {
      throw new SchemaRegistryError(
        `the Schema Registry at ${this.baseUrl} cannot be reached: ${(cause as Error).message}`,
        0,
        "SCHEMA_REGISTRY_UNREACHABLE",
      );
    }
    const text = await res.text();
    if (!res.ok) {
      let message = text.slice(0, 300);
      try {
        message = JSON.parse(text).message ?? message;
      } catch {
        // not JSON: keep the text
      }
      throw new SchemaRegistryError(
        `the Schema Registry answered ${res.status} to ${path}: ${message}`,
        res.status,
        res.status === 404 ? "SCHEMA_NOT_FOUND" : "SCHEMA_REGISTRY",
      );
    }
    return JSON.parse(text) as T;
  }

  /** The schema with `id` (cached). */
  schemaById(id: number): Promise<RegisteredSchema> {
    let found = this.#byId.get(id);
    if (!found) {
      found = this.#call<{ schema: string; schemaType?: string }>(`/schemas/ids/${id}`).then(
        (s) => ({ id, schema: s.schema, schemaType: schemaTypeOf(s.schema, s.schemaType) }),
      );
      found.catch(() => this.#byId.delete(id));
      this.#byId.set(id, found);
    }
    return found;
  }

  /** Every subject. */
  subjects(): Promise<string[]> {
    return this.#call<string[]>("/subjects");
  }

  /** The versions of `subject`. */
  versions(subject: string): Promise<number[]> {
    return this.#call<number[]>(`/subjects/${encodeURIComponent(subject)}/versions`);
  }

  /** Version `version` (a number or `latest`) of `subject`. */
  async version(subject: string, version: number | "latest"): Promise<RegisteredSchema> {
    const v = await this.#call<
      { id: number; subject: string; version: number; schema: string; schemaType?: string }
    >(`/subjects/${encodeURIComponent(subject)}/versions/${version}`);
    return { ...v, schemaType: schemaTypeOf(v.schema, v.schemaType) };
  }

  /** Registers `schema` under `subject` (or finds it there); its id. */
  async register(subject: string, schema: string, schemaType: SchemaType): Promise<number> {
    const body: Record<string, string> = { schema };
    if (schemaType !== "AVRO") body.schemaType = schemaType;
    const { id } = await this.#call<{ id: number }>(
      `/subjects/${encodeURIComponent(subject)}/versions`,
      { method: "POST", body: JSON.stringify(body) },
    );
    return id;
  }
}

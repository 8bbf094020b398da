/** The `:partition` and `:offset` of a message's routes. */
import { HttpError } from "../../../../shared/web/http_error.ts";

/** Partition and offset from the route, or 400. */
export function messageParams(
  params: Record<string, string>,
): { partition: number; offset: number } {
  const partition = /^\d{1,9}$/.test(params.partition ?? "") ? Number(params.partition) : NaN;
  const offset = /^\d{1,15}$/.test(params.offset ?? "") ? Number(params.offset) : NaN;
  if (Number.isNaN(partition) || Number.isNaN(offset)) {
    throw new HttpError(400, "expected a partition number and an offset");
  }
  return { partition, offset };
}

/**
 * The new-demand form of the `/demands` page, which works without
 * JavaScript: its fields, their labels, and the `POST /api/demands` body
 * they make, so the page, the island and the API are validated alike.
 * Imported by the DemandBoard island: no server-only code here.
 */

/** What the form's fields held, to show them again next to the problems. */
export interface DemandFormValues {
  id: string;
  type: string;
  lat: string;
  lng: string;
  priority: string;
}

/** One problem of a demand: the field's path (e.g. `location.lat`) and what is wrong. */
export interface Problem {
  path: string;
  message: string;
}

/** Labels of the fields, by path; `body` is the demand as a whole. */
export const FIELD_LABELS: Record<string, string> = {
  body: "Demand",
  id: "Id",
  type: "Type",
  location: "Location",
  "location.lat": "Latitude",
  "location.lng": "Longitude",
  metadata: "Metadata",
  "metadata.priority": "Priority",
};

/** A problem as one line for people, e.g. `Latitude: must be ≤ 90`. */
export function problemLine(problem: Problem): string {
  return `${FIELD_LABELS[problem.path] ?? problem.path}: ${problem.message}`;
}

/** An empty form (priority `medium`). */
export function emptyDemandForm(): DemandFormValues {
  return { id: "", type: "", lat: "", lng: "", priority: "medium" };
}

/** The form's fields (trimmed). */
export function readDemandForm(form: FormData): DemandFormValues {
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value.trim() : "";
  };
  return {
    id: field("id"),
    type: field("type"),
    lat: field("lat"),
    lng: field("lng"),
    priority: field("priority"),
  };
}

/** A number typed by a person (`-22,9` too); NaN when it is not one. */
export function typedNumber(value: string): number {
  const text = value.trim();
  if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(text)) return NaN;
  return Number(text.replace(",", "."));
}

/** The form as a `POST /api/demands` body (an empty id: the server picks one). */
export function demandInputFromForm(values: DemandFormValues): unknown {
  return {
    ...(values.id === "" ? {} : { id: values.id }),
    type: values.type,
    location: { lat: typedNumber(values.lat), lng: typedNumber(values.lng) },
    metadata: { priority: values.priority },
  };
}

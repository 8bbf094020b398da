/**
 * What a page being rendered used that the browser enhances: times
 * (shown in the reader's zone), tables sortable in the browser, copy
 * buttons. Components mark it while the page renders (server side, one
 * synchronous render at a time); the shell then adds the PageTools island
 * below the page only when something needs it, so a page with none of
 * these ships no JavaScript.
 */

/** A feature the PageTools island enhances. */
export type PageFeature = "times" | "sort" | "copy";

let used = new Set<PageFeature>();

/** Forgets what the previous page used (the shell calls it before a page renders). */
export function resetPageFeatures(): void {
  used = new Set();
}

/** Marks `feature` as used by the page being rendered. */
export function usePageFeature(feature: PageFeature): void {
  used.add(feature);
}

/** What the page used, in a stable order. */
export function pageFeatures(): PageFeature[] {
  return (["times", "sort", "copy"] as const).filter((f) => used.has(f));
}

/** Attributes of a table the browser sorts by a click on a header (marks the feature). */
export function sortableTable(): { "data-sortable": "" } {
  usePageFeature("sort");
  return { "data-sortable": "" };
}

/**
 * A button copying `text` to the clipboard (the PageTools island does it,
 * for buttons in islands and outside alike); hidden until it can work, so
 * a page without JavaScript shows no dead button.
 */
import { usePageFeature } from "./page_features.ts";

/** Props of CopyButton. */
export interface CopyButtonProps {
  text: string;
  /** What it copies, e.g. `Copy value`. */
  label: string;
  /** `text` is a link: the absolute URL (against the page's) is copied. */
  url?: boolean;
}

/** The button. */
export function CopyButton({ text, label, url }: CopyButtonProps) {
  usePageFeature("copy");
  return (
    <button type="button" class="copy" data-copy={text} data-copy-url={url ? "1" : undefined}>
      {label}
    </button>
  );
}

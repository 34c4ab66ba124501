/**
 * The DOM document figures are built in when none is given: linkedom's (pure JavaScript, so it works in
 * Node, Deno and browsers alike). A browser page may pass its own `document` instead.
 */
import { parseHTML } from "linkedom";

/** A fresh document for Observable Plot to build SVG in. */
export const figureDocument = (): Document =>
  parseHTML("<!DOCTYPE html><html><head></head><body></body></html>").document as unknown as Document;

/** Options every view shares. */
export interface ViewOptions {
  /** The DOM document to draw in (default: a fresh linkedom document). */
  readonly document?: Document;
  /** The figure's title (default: one made from the result). */
  readonly title?: string;
}

/** The document to draw in. */
export const docOf = (o: ViewOptions): Document => o.document ?? figureDocument();

/**
 * The rich-display protocol of Jupyter kernels for JavaScript (Deno's, and any kernel that follows it):
 * an object with a method under `Symbol.for("Jupyter.display")` returning a MIME bundle is shown as that
 * bundle. Nothing here depends on Deno: the hook is a plain symbol-keyed method.
 */

/** The key a Jupyter kernel looks up on a cell's value: `Symbol.for("Jupyter.display")`. */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as typeof JUPYTER_DISPLAY;

/** What a result shows as: plain text always; an HTML summary (with the figure inline) and the figure as SVG where there is one. */
export interface MimeBundle {
  readonly "text/plain": string;
  readonly "text/html"?: string;
  readonly "image/svg+xml"?: string;
}

/** The parts of a view, each computed once on first use. */
export interface ViewParts {
  /** One or a few lines of plain text with units. */
  readonly text: () => string;
  /** A compact HTML summary (without the figure). */
  readonly summary: () => string;
  /** The figure as a standalone SVG string, or null when there is nothing to draw. */
  readonly svg: () => string | null;
}

const once = <T>(f: () => T): (() => T) => {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = f();
      done = true;
    }
    return value;
  };
};

/**
 * A result made displayable: a Jupyter kernel shows it through `[JUPYTER_DISPLAY]()`; elsewhere its
 * `text`, `html` and `svg` are plain strings to print, save or embed.
 */
export class View {
  readonly #text: () => string;
  readonly #summary: () => string;
  readonly #svg: () => string | null;

  constructor(parts: ViewParts) {
    this.#text = once(parts.text);
    this.#summary = once(parts.summary);
    this.#svg = once(parts.svg);
  }

  /** The plain-text fallback. */
  get text(): string {
    return this.#text();
  }

  /** The figure as a standalone SVG document string; null when the result has nothing to draw. */
  get svg(): string | null {
    return this.#svg();
  }

  /** The HTML shown in a notebook: the summary, then the figure inline. */
  get html(): string {
    const svg = this.#svg();
    return `<div class="spikelab-view">${this.#summary()}${svg === null ? "" : `<div class="spikelab-figure">${svg}</div>`}</div>`;
  }

  /** The MIME bundle a Jupyter kernel displays (text/plain, text/html and, with a figure, image/svg+xml). */
  [JUPYTER_DISPLAY](): MimeBundle {
    const svg = this.#svg();
    return { "text/plain": this.#text(), "text/html": this.html, ...(svg === null ? {} : { "image/svg+xml": svg }) };
  }

  /** The plain text (so a view prints sensibly outside a notebook). */
  toString(): string {
    return this.#text();
  }
}

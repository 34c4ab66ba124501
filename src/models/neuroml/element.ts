import { InvalidArgumentError } from "../../errors.js";
import type { El } from "./xml.js";

/** Elements whose content cannot change a simulation: never read, never refused. */
export const IGNORED = new Set(["notes", "annotation", "property"]);

/** How an error names an element: `<gate id="m"> (file K.channel.nml, line 12)`. */
export const where = (el: El): string => {
  const id = el.attrs.id ?? el.attrs.name;
  return `<${el.tag}${id !== undefined ? ` ${el.attrs.id !== undefined ? "id" : "name"}="${id}"` : ""}> (${el.file}, line ${el.line})`;
};

/** A one-line error about an element. */
export const refuse = (el: El, message: string): InvalidArgumentError => new InvalidArgumentError(`NeuroML ${where(el)}: ${message}`);

/** Attributes any element may carry without effect on a simulation. */
const NEUTRAL = /^(xmlns(:.*)?|xsi:.*|metaid|neuroLexId|description)$/;

/** Refuses any attribute of `el` outside `allowed` (and the neutral ones), naming it. */
export function checkAttrs(el: El, allowed: readonly string[]): void {
  for (const a of Object.keys(el.attrs)) {
    if (!allowed.includes(a) && !NEUTRAL.test(a)) {
      throw refuse(el, `attribute ${a}="${el.attrs[a]}" is not modelled by spikelab's import (read here: ${allowed.join(", ") || "none"})`);
    }
  }
}

/** The children of `el` other than ignored ones; any tag outside `allowed` is refused, naming it. */
export function childrenOf(el: El, allowed: readonly string[], why = ""): El[] {
  const out: El[] = [];
  for (const c of el.children) {
    if (IGNORED.has(c.tag)) continue;
    if (!allowed.includes(c.tag)) {
      throw refuse(
        c,
        `element <${c.tag}> inside <${el.tag}> is not modelled by spikelab's import${why ? ` (${why})` : ""}; read here: ${allowed.join(", ") || "none"}`,
      );
    }
    out.push(c);
  }
  return out;
}

/** The attribute, or a clear error that it is missing. */
export function required(el: El, name: string): string {
  const v = el.attrs[name];
  if (v === undefined || v === "") throw refuse(el, `attribute ${name} is missing`);
  return v;
}

import { XMLParser } from "fast-xml-parser";
import { InvalidArgumentError } from "../../errors.js";

/** An XML element with the line it starts on, so that every NeuroML error can name file and line. */
export interface El {
  readonly tag: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: readonly El[];
  readonly line: number;
  /** How errors name the document ("file cell.nml" or "document 1"). */
  readonly file: string;
}

/** The deepest nesting of XML elements read (a NeuroML cell nests about 6 deep). */
export const MAX_XML_DEPTH = 32;

/** fast-xml-parser checks well-formedness and nesting (its messages are the project's); the walk below adds lines. */
const validator = new XMLParser({ ignoreAttributes: false, parseAttributeValue: false, maxNestedTags: MAX_XML_DEPTH });

const ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
const decode = (s: string): string =>
  s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) =>
    e.startsWith("#x")
      ? String.fromCodePoint(Number.parseInt(e.slice(2), 16))
      : e.startsWith("#")
        ? String.fromCodePoint(Number(e.slice(1)))
        : (ENTITIES[e] as string),
  );

/**
 * Parses a well-formed XML document into elements with line numbers (text content is dropped: NeuroML
 * keeps its data in attributes; `notes` text is not read). `label` names the document in errors.
 */
export function parseXml(text: string, label: string): El {
  try {
    validator.parse(text, true);
  } catch (e) {
    const message = (e as Error).message.split("\n")[0] ?? "";
    if (/nested tags/i.test(message)) {
      throw new InvalidArgumentError(
        `NeuroML ${label} nests elements deeper than ${MAX_XML_DEPTH} levels; at most ${MAX_XML_DEPTH} are allowed`,
      );
    }
    throw new InvalidArgumentError(`NeuroML ${label} is not well-formed XML: ${message}`);
  }
  type Open = { tag: string; attrs: Record<string, string>; children: El[]; line: number };
  const root: Open = { tag: "#document", attrs: {}, children: [], line: 1 };
  const stack: Open[] = [root];
  const token =
    /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<\/\s*([^\s>]+)\s*>|<([^\s/>!?]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  let line = 1;
  let last = 0;
  for (let m = token.exec(text); m !== null; m = token.exec(text)) {
    for (let i = last; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    last = m.index;
    const [, close, open, attrText, selfClose] = m;
    if (close !== undefined) {
      if (stack.length < 2 || (stack[stack.length - 1] as Open).tag !== close) {
        throw new InvalidArgumentError(`NeuroML ${label} is not well-formed XML: </${close}> at line ${line} closes no open element`);
      }
      const done = stack.pop() as Open;
      (stack[stack.length - 1] as Open).children.push({ ...done, file: label });
    } else if (open !== undefined) {
      const attrs: Record<string, string> = {};
      for (const a of (attrText ?? "").matchAll(/([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        attrs[a[1] as string] = decode(a[2] ?? a[3] ?? "");
      }
      const el: Open = { tag: open, attrs, children: [], line };
      if (selfClose) (stack[stack.length - 1] as Open).children.push({ ...el, file: label });
      else stack.push(el);
    }
  }
  const top = root.children.filter((c) => c.tag !== "#document");
  if (top.length !== 1) throw new InvalidArgumentError(`NeuroML ${label} must have one root element; found ${top.length}`);
  return top[0] as El;
}

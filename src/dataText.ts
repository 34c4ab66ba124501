import { parse as parseYaml } from "yaml";
import { InvalidArgumentError } from "./errors.js";
import { FORBIDDEN_KEYS } from "./validate.js";

/**
 * The text of an input file (a spec, a sweep spec, a model) as plain data, bounded: JSON or YAML nested at
 * most MAX_DATA_DEPTH levels, and without the keys that reach an object's prototype. Browser-safe (the web
 * app's model files go through it too); files are read, with their size bounded, by io/inputFile.ts.
 */

/** The largest spec, sweep spec, model or NeuroML file read (bytes): hand-written files are kilobytes. */
export const MAX_INPUT_FILE_BYTES = 4 * 1024 * 1024;
/** The deepest nesting of objects and arrays accepted in a spec or model file (a model inside a spec needs 7). */
export const MAX_DATA_DEPTH = 32;

const tooDeep = (what: string) =>
  new InvalidArgumentError(`${what} nests objects and arrays deeper than ${MAX_DATA_DEPTH} levels; at most ${MAX_DATA_DEPTH} are allowed`);

/**
 * The deepest run of unclosed YAML flow brackets ([ and {), outside quoted scalars and comments: the YAML
 * parser recurses on them (≈ 800 deep overflows its stack, after seconds), so they are counted first.
 */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote = "";
  let prev = "\n";
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = "";
    } else if (c === "#" && /\s/.test(prev)) {
      const nl = text.indexOf("\n", i);
      if (nl < 0) break;
      i = nl;
    } else if ((c === '"' || c === "'") && /[\s[{,:]/.test(prev)) quote = c;
    else if (c === "[" || c === "{") max = Math.max(max, ++depth);
    else if ((c === "]" || c === "}") && depth > 0) depth--;
    prev = text[i] as string;
  }
  return max;
}

/**
 * Checks parsed input data: at most MAX_DATA_DEPTH levels, no FORBIDDEN_KEYS (named with their path).
 * Iterative, so no nesting can overflow the stack; shared nodes (YAML aliases) are visited once.
 */
export function checkData(data: unknown, what: string): void {
  const stack: [unknown, number, string][] = [[data, 0, ""]];
  const seen = new Set<object>();
  while (stack.length) {
    const [value, depth, path] = stack.pop() as [unknown, number, string];
    if (value === null || typeof value !== "object" || seen.has(value)) continue;
    seen.add(value);
    if (depth >= MAX_DATA_DEPTH) throw tooDeep(what);
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) stack.push([value[i], depth + 1, `${path}[${i}]`]);
      continue;
    }
    for (const key of Object.keys(value)) {
      const at = path ? `${path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) {
        throw new InvalidArgumentError(`${what}: key ${at} is not allowed (the keys __proto__, constructor and prototype are refused)`);
      }
      stack.push([(value as Record<string, unknown>)[key], depth + 1, at]);
    }
  }
}

/** Parses JSON or YAML input text into checked plain data, with one-line errors that start with `what`. */
export function parseDataText(text: string, format: "json" | "yaml", what: string): unknown {
  if (text.length > MAX_INPUT_FILE_BYTES) {
    throw new InvalidArgumentError(`${what} has ${text.length} characters; at most ${MAX_INPUT_FILE_BYTES} (4 MiB) are allowed`);
  }
  if (format === "yaml" && flowDepth(text) > MAX_DATA_DEPTH) throw tooDeep(what);
  let data: unknown;
  try {
    data = format === "json" ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    const message = (e as Error).message;
    if (e instanceof RangeError || /call stack/i.test(message)) throw tooDeep(what);
    throw new InvalidArgumentError(`${what} is not valid ${format.toUpperCase()}: ${message.split("\n")[0]}`);
  }
  checkData(data, what);
  return data;
}

import { en } from "zod/locales";
import * as z from "zod/mini";
import { InvalidArgumentError, show } from "./errors.js";

// zod/mini loads no locale (its every generic message would be "Invalid input"); classic zod set English on
// import, and so does this, unless the application has chosen a locale already
if (!z.config().localeError) z.config(en());

/** Keys refused anywhere in input: they would reach (or be silently dropped as) an object's prototype. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** The key of a record (parameters, constants): any name but FORBIDDEN_KEYS, which are refused rather than dropped. */
export const recordKey = z.string().check(
  z.refine((k) => !FORBIDDEN_KEYS.has(k), {
    error: (i) => `has a key ${show(i.input)}, which is not allowed (__proto__, constructor and prototype are refused)`,
  }),
);

const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown => {
  let v: unknown = input;
  for (const key of path) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
};

const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
const kind = (type: string) => (type === "int" ? "whole number" : type === "number" ? "finite number" : type);

/**
 * The problem of one zod issue as "must be …" / "is required …", in spikelab's words. Messages the
 * schema gives itself are kept; zod's generic ones ("Invalid input: expected number, received NaN")
 * are rephrased from the issue's code and bounds.
 */
function problem(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === "invalid_type" && value === undefined && /^must be /.test(issue.message)) {
    return `is required (${issue.message.slice("must be ".length)})`;
  }
  const generic = /^(Invalid input|Too small|Too big|Invalid option|Unrecognized key)/.test(issue.message);
  if (!generic) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return value === undefined ? `is required (${article(kind(issue.expected))})` : `must be ${article(kind(issue.expected))}`;
    case "too_small":
      return issue.origin === "array"
        ? `must hold at least ${issue.minimum} item(s)`
        : issue.origin === "string"
          ? "must not be empty"
          : `must be ${issue.inclusive ? "≥" : ">"} ${issue.minimum}`;
    case "too_big":
      return issue.origin === "array"
        ? `must hold at most ${issue.maximum} item(s)`
        : `must be ${issue.inclusive ? "≤" : "<"} ${issue.maximum}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => show(v)).join(", ")}`;
    case "unrecognized_keys":
      return `has no field ${issue.keys.map((k) => show(k)).join(", ")} (a misspelt name?)`;
    default:
      return issue.message;
  }
}

/**
 * The issue to report: where a union failed (a model's name or a model object, a number or an array …) and
 * exactly one of its branches is of the input's own kind (its first issue is not a wrong type at the branch's
 * root), that branch's issue with the full path: the inner field of a model object, not "must be a name or
 * an object".
 */
function innermost(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  let at = issue;
  for (let k = 0; k < 32 && at.code === "invalid_union" && Array.isArray(at.errors); k++) {
    const fitting = at.errors.filter(
      (b) => b.length > 0 && !((b[0] as z.core.$ZodIssue).code === "invalid_type" && b[0]?.path.length === 0),
    );
    const first = fitting.length === 1 ? (fitting[0]?.[0] as z.core.$ZodIssue | undefined) : undefined;
    if (!first) break;
    at = { ...first, path: [...at.path, ...first.path] } as z.core.$ZodIssue;
  }
  return at;
}

/**
 * The first own key of FORBIDDEN_KEYS anywhere in the input (a parsed file gives `__proto__` as an own key,
 * which zod would silently drop), as [where, key]; iterative, skipping typed arrays and numbers.
 */
function forbiddenKey(input: unknown, what: string): [string, string] | undefined {
  const stack: [unknown, string][] = [[input, what]];
  const seen = new Set<object>();
  while (stack.length) {
    const [v, at] = stack.pop() as [unknown, string];
    if (v === null || typeof v !== "object" || ArrayBuffer.isView(v) || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (v[i] !== null && typeof v[i] === "object") stack.push([v[i], `${at}.${i}`]);
      continue;
    }
    for (const key of Object.keys(v)) {
      if (FORBIDDEN_KEYS.has(key)) return [at, key];
      stack.push([(v as Record<string, unknown>)[key], at === what ? key : `${at}.${key}`]);
    }
  }
  return undefined;
}

/** Parses with a zod schema; on failure throws an InvalidArgumentError in one line: "<field> <problem>; got <value>". */
export function parseWith<S extends z.ZodMiniType>(schema: S, input: unknown, what = "spec"): z.output<S> {
  const bad = forbiddenKey(input, what);
  if (bad)
    throw new InvalidArgumentError(
      `${bad[0]} has a key ${show(bad[1])}, which is not allowed (__proto__, constructor and prototype are refused)`,
    );
  // jitless: zod would otherwise generate (eval) a parser per object schema on its first parse, which costs
  // more than it saves where, as here, each schema parses a handful of inputs a run
  const r = schema.safeParse(input, { jitless: true });
  if (r.success) return r.data;
  const issue = innermost(r.error.issues[0] as z.core.$ZodIssue);
  const field = issue.path.length ? issue.path.join(".") : what;
  const value = valueAt(input, issue.path);
  if (issue.code === "unrecognized_keys") throw new InvalidArgumentError(`${field} ${problem(issue, value)}`);
  const got = value === undefined ? "nothing" : typeof value === "object" && value !== null ? kindOf(value) : show(value);
  throw new InvalidArgumentError(`${field} ${problem(issue, value)}; got ${got}`);
}

/** An object or array for an error message: short, never the whole file. */
function kindOf(value: object): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= 80 ? text : `${text.slice(0, 77)}…`;
}

import type { z } from "zod";
import { InvalidArgumentError, show } from "./errors.js";

const valueAt = (input: unknown, path: readonly PropertyKey[]): unknown => {
  let v: unknown = input;
  for (const key of path) v = v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
};

/** Parses with a zod schema; on failure throws an InvalidArgumentError in one line: "<field> <problem>; got <value>". */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown, what = "spec"): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0] as z.core.$ZodIssue;
  const field = issue.path.length ? issue.path.join(".") : what;
  const value = valueAt(input, issue.path);
  throw new InvalidArgumentError(`${field} ${issue.message}; got ${value === undefined ? "nothing" : show(value)}`);
}

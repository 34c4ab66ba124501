import { InvalidArgumentError } from "../errors.js";

/**
 * Guards for code generation (JavaScript for `new Function`, WGSL): the only model data a printer may
 * write into source text are finite numbers (JavaScript: jsLiteral; WGSL: wgslFloat) and identifiers checked
 * against /^[A-Za-z_][A-Za-z0-9_]*$/ (WGSL's gate and channel names; the JavaScript kernel names by index). The schema checks both before a
 * model is compiled; these checks stand behind it, so a model object that bypassed the schema (built
 * by hand in the library, or changed after it was checked) can never put text into generated code.
 */

/** The value when it is a finite number, else the refusal naming `what`. */
export function finiteNumber(value: unknown, what: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new InvalidArgumentError(
      `${what} must be a finite number to be compiled; got ${typeof value === "number" ? value : typeof value}`,
    );
  }
  return value;
}

/** A finite number, as JavaScript source that parses back to the same double (negative ones parenthesised). */
export function jsLiteral(value: unknown, what: string): string {
  const v = finiteNumber(value, what);
  const s = String(v);
  return v < 0 || Object.is(v, -0) ? `(${s})` : s;
}

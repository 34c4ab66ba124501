import { InvalidArgumentError } from "commander";
import { FORBIDDEN_KEYS } from "../validate.js";

/** A commander argument parser for a finite number, with a message naming the flag, the value and the unit. */
export const numberArg =
  (flag: string, unit: string, check: (x: number) => boolean = () => true, allowed = "a finite number") =>
  (raw: string): number => {
    const x = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(x) || !check(x)) {
      throw new InvalidArgumentError(`${flag} must be ${allowed}${unit ? ` (${unit})` : ""}; got "${raw}"`);
    }
    return x;
  };

export const positiveArg = (flag: string, unit: string) => numberArg(flag, unit, (x) => x > 0, "a positive number");

export const integerArg = (flag: string, min: number) =>
  numberArg(flag, "", (x) => Number.isInteger(x) && x >= min, `a whole number ≥ ${min}`);

/** A count that may be written 1e11: a whole number ≥ 1 up to 2^53. */
export const countArg = (flag: string) =>
  numberArg(flag, "", (x) => Number.isInteger(x) && x >= 1 && x <= Number.MAX_SAFE_INTEGER, "a whole number ≥ 1 (e.g. 1e12)");

/** A whole number in [1, max]; `why` says where the maximum comes from. */
export const boundedIntegerArg = (flag: string, max: number, why: string) =>
  numberArg(flag, "", (x) => Number.isInteger(x) && x >= 1 && x <= max, `a whole number in [1, ${max}] (${why})`);

/** A repeatable NAME=VALUE flag (`--param`, `--spread`, `--true-param`, `--frozen` …): errors name the flag. */
export const nameValueArg =
  (flag: string, example = "gNa=60", what = "a model parameter") =>
  (raw: string, previous: Record<string, number> = {}): Record<string, number> => {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+?)\s*$/.exec(raw);
    if (!m) throw new InvalidArgumentError(`${flag} must be NAME=VALUE (e.g. ${example}); got "${raw}"`);
    if (FORBIDDEN_KEYS.has(m[1] as string))
      throw new InvalidArgumentError(`${flag} name must be ${what} (__proto__, constructor and prototype are refused); got "${m[1]}"`);
    const value = Number(m[2]);
    if (!Number.isFinite(value)) throw new InvalidArgumentError(`${flag} ${m[1]} must be a finite number; got "${m[2]}"`);
    return { ...previous, [m[1] as string]: value };
  };

/** Collects repeated `--param NAME=VALUE` flags into an object. */
export const paramArg = nameValueArg("--param");

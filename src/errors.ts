/**
 * The one error type the library throws for bad input. Its message is one sentence
 * naming the argument, the value and what is allowed; the CLI prints it and exits 2.
 */
export class SpikelabError extends Error {
  override name = "SpikelabError";
}

/** Input that does not satisfy the documented contract (wrong name, range or type). */
export class InvalidArgumentError extends SpikelabError {
  override name = "InvalidArgumentError";
}

/**
 * A request that is valid but too big for the machine (a recording that would not fit the memory
 * limit): refused before anything is allocated, with the numbers and the ways out.
 */
export class ResourceLimitError extends InvalidArgumentError {
  override name = "ResourceLimitError";
}

/** A simulation whose state left the finite/physical range; names time, neuron, variable, method and dt. */
export class DivergenceError extends SpikelabError {
  override name = "DivergenceError";
  constructor(
    message: string,
    /** Where and how it diverged, for programs (the message says the same for people). */
    readonly details?: {
      readonly t_ms: number;
      readonly neuron: number;
      readonly variable: string;
      readonly value: number;
      readonly method: string;
      readonly dt_ms: number;
    },
  ) {
    super(message);
  }
}

/** Formats a value for an error message: numbers as JS prints them, strings quoted. */
export const show = (value: unknown): string =>
  typeof value === "string" ? JSON.stringify(value) : typeof value === "number" ? String(value) : JSON.stringify(value);

/** The InvalidArgumentError for a bad input, in one line: "`what` must be `allowed`; got `value`". */
export const invalid = (what: string, value: unknown, allowed: string): InvalidArgumentError =>
  new InvalidArgumentError(`${what} must be ${allowed}; got ${show(value)}`);

import { readFileSync, statSync } from "node:fs";
import { MAX_INPUT_FILE_BYTES } from "../dataText.js";
import { InvalidArgumentError } from "../errors.js";

const MiB = 1024 * 1024;

/**
 * Reads an input file named by a flag or argument (a spec, a sweep spec, a model, a NeuroML include) as
 * text, refusing before reading: a path that does not exist, a folder, anything that is not a regular
 * file (a FIFO or /dev/zero would block or never end), and a file over MAX_INPUT_FILE_BYTES.
 */
export function readInputFile(path: string, what: string): string {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new InvalidArgumentError(`${what} ${path} is a folder; expected a file`);
    if (!st.isFile()) throw new InvalidArgumentError(`${what} ${path} is not a regular file; expected a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InvalidArgumentError(
      `${what} ${path} ${code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? (e as Error).message})`}`,
    );
  }
  if (size > MAX_INPUT_FILE_BYTES) {
    throw new InvalidArgumentError(
      `${what} ${path} is ${(size / MiB).toFixed(1)} MiB; input files may be at most ${MAX_INPUT_FILE_BYTES / MiB} MiB`,
    );
  }
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new InvalidArgumentError(`${what} ${path} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

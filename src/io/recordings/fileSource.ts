import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { InvalidArgumentError, show } from "../../errors.js";
import type { ByteSource } from "./types.js";

/** A file on disk as a ByteSource (Node): reads only the bytes asked for. Close it when done. */
export function fileSource(path: string): ByteSource & { close(): void } {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw new InvalidArgumentError(
      `--trace must be a readable file; got ${show(path)} (${(e as NodeJS.ErrnoException).code ?? "unreadable"})`,
    );
  }
  const size = fstatSync(fd).size;
  return {
    size,
    read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const b = new Uint8Array(n);
      let got = 0;
      while (got < n) {
        const r = readSync(fd, b, got, n - got, offset + got);
        if (r <= 0) break;
        got += r;
      }
      return got === n ? b : b.subarray(0, got);
    },
    close: () => closeSync(fd),
  };
}

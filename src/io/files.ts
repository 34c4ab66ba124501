import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { SpikelabError } from "../errors.js";

const reasons: Record<string, string> = {
  ENOENT: "no such file or folder",
  EACCES: "permission denied",
  EPERM: "not permitted",
  EISDIR: "it is a folder",
  ENOTDIR: "a parent is not a folder",
  EEXIST: "a file is in the way",
  ENOSPC: "disk full",
  EROFS: "read-only file system",
};

/** An OS error on a file as spikelab's one-line error: "cannot write out/x.csv: EACCES (permission denied)". */
export function fileError(action: string, path: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (typeof code !== "string") return e;
  return new SpikelabError(`cannot ${action} ${path}: ${code} (${reasons[code] ?? (e as Error).message.split(",")[0]})`);
}

/** Writes a file atomically: a temporary file beside it, then a rename (never a half-written file). */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true, recursive: false });
    throw fileError("write", path, e);
  }
}

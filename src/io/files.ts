import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statfsSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { createRequire } from "node:module";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { ResourceLimitError, SpikelabError } from "../errors.js";
import { formatBytes } from "../record/budget.js";

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

/**
 * Makes sure the folder `dir` exists, creating missing levels one at a time (never Node's recursive
 * mkdir, which spins forever on paths such as /proc/nope). An existing folder is left alone.
 */
export function ensureFolder(dir: string): void {
  const missing: string[] = [];
  let at = resolve(dir);
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(at).isDirectory();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw fileError("use folder", at, e);
      const up = dirname(at);
      if (up === at) throw fileError("use folder", at, e);
      missing.push(at);
      at = up;
      continue;
    }
    if (!isDir) throw new SpikelabError(`cannot create folder ${dir}: ${at} is a file, not a folder`);
    break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw fileError("create folder", d, e);
    }
  }
}

/** Ensures the folder of the output file `path` exists (see ensureFolder), and that `path` is not itself a folder. */
export function ensureParent(path: string): void {
  ensureFolder(dirname(path) || ".");
  let folder = false;
  try {
    folder = statSync(path).isDirectory();
  } catch {
    // not there yet: the usual case
  }
  if (folder) throw new SpikelabError(`cannot write ${path}: EISDIR (it is a folder)`);
}

/**
 * Removes `tmp` once this process has ended, whatever ends it (an error, SIGINT, SIGTERM, even
 * SIGKILL), unless it was renamed into place first: a small detached watcher (`sh`, polling once a
 * second) rather than JavaScript signal handlers, which a long synchronous run would hold off (the
 * process could then not be stopped). For long-lived temporary files only (a streamed --csv).
 */
export function removeWhenGone(tmp: string): void {
  if (process.platform === "win32") return;
  try {
    const script = 'while kill -0 "$0" 2>/dev/null; do sleep 1; done; rm -f -- "$1"';
    // node:child_process loads only here: it brings net, stream and more, which `fi --json` would pay for at start-up
    const { spawn } = createRequire(import.meta.url)("node:child_process") as typeof import("node:child_process");
    spawn("/bin/sh", ["-c", script, String(process.pid), resolve(tmp)], { detached: true, stdio: "ignore" }).unref();
  } catch {
    // no shell: the next writer of the same file removes it (removeStaleTemps)
  }
}

/** The temporary name of `path` for this process: FILE.tmp-PID, beside it. */
export const tempPath = (path: string): string => `${path}.tmp-${process.pid}`;

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** Removes FILE.tmp-PID files beside `path` left by processes that no longer exist (a SIGKILL cannot be caught). */
export function removeStaleTemps(path: string): void {
  const dir = dirname(path) || ".";
  const prefix = `${basename(path)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)) rmSync(join(dir, name), { force: true });
  }
}

/**
 * Refuses to stream about `bytes` into `path` when its file system has less free space, naming the
 * flag (`what`), the estimate and the room. Unknown free space (statfs unsupported) is not checked.
 */
export function checkFreeSpace(path: string, bytes: number, what: string, ways: string): void {
  let free: number;
  try {
    const s = statfsSync(dirname(resolve(path)));
    free = s.bavail * s.bsize;
  } catch {
    return;
  }
  if (bytes <= free) return;
  throw new ResourceLimitError(
    `${what} would be about ${formatBytes(bytes)} on disk, more than the ${formatBytes(free)} free in ${dirname(resolve(path))}; ${ways}`,
  );
}

/** Writes a file atomically: a temporary file beside it, then a rename (never a half-written file). */
export function writeFileAtomic(path: string, text: string | Uint8Array): void {
  const tmp = tempPath(path);
  ensureParent(path);
  removeStaleTemps(path); // left by a process killed while it wrote
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true, recursive: false });
    throw fileError("write", path, e);
  }
}

/**
 * Takes the lock `path` (FILE.lock) for this process: one writer per output. A lock held by a live
 * process is an error naming it; one left by a process that no longer exists on this host is taken
 * over (so a lock needs no cleanup when its process is killed). Returns the function that releases it.
 */
export function acquireLock(path: string, what: string): () => void {
  const me = `${process.pid} ${hostname()}\n`;
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, "wx");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST" || attempt > 0) throw fileError("create lock", path, e);
      let holder = "";
      try {
        holder = readFileSync(path, "utf8");
      } catch {
        // released meanwhile: try again
      }
      const [pidText, host] = holder.trim().split(/\s+/);
      const pid = Number(pidText);
      const sameHost = host === undefined || host === hostname();
      if (holder && !(Number.isInteger(pid) && pid > 0 && sameHost && !alive(pid))) {
        throw new SpikelabError(
          `${what} is being written by process ${pidText}${sameHost ? "" : ` on ${host}`} (lock ${path}); wait for it to finish, or stop it first${sameHost ? "" : `, or remove ${path} if that process is gone`}`,
        );
      }
      rmSync(path, { force: true }); // a stale lock of a dead process: taken over
      continue;
    }
    writeSync(fd, me);
    closeSync(fd);
    let held = true;
    return () => {
      if (!held) return;
      held = false;
      try {
        if (readFileSync(path, "utf8") === me) rmSync(path, { force: true });
      } catch {
        // already gone
      }
    };
  }
}

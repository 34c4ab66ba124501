import { existsSync, readFileSync } from "node:fs";
import { InvalidArgumentError, show } from "../errors.js";
import { writeFileAtomic } from "../io/files.js";
import type { FitCheckpoint } from "./fit.js";

/** A fit's checkpoint as a JSON file (Node): written atomically after each generation, read to resume. */
export const fitCheckpointFile = (path: string) => ({
  /** Writes the checkpoint (a temporary file, then a rename: never half a file after a kill). */
  save(c: FitCheckpoint): void {
    writeFileAtomic(path, JSON.stringify(c));
  },
  /** The saved checkpoint, or null when there is no file yet; a file that is not one is refused in one line. */
  load(): FitCheckpoint | null {
    if (!existsSync(path)) return null;
    try {
      const c = JSON.parse(readFileSync(path, "utf8")) as FitCheckpoint;
      if (c?.kind !== "spikelab-fit-checkpoint") throw new Error("kind");
      return c;
    } catch {
      throw new InvalidArgumentError(`--checkpoint ${show(path)} must be a checkpoint written by spikelab fit; it is not one`);
    }
  },
});

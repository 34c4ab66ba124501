import { existsSync, readFileSync } from "node:fs";
import { InvalidArgumentError, show } from "../errors.js";
import { writeFileAtomic } from "../io/files.js";
import type { FitCheckpoint } from "./fit.js";

/** A fit's checkpoint as a JSON file (Node): written atomically after each generation, read to resume. */
export const fitCheckpointFile = (path: string) => ({
  save(c: FitCheckpoint): void {
    writeFileAtomic(path, JSON.stringify(c));
  },
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

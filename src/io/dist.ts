import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SpikelabError } from "../errors.js";

/**
 * A file of the built package (dist/), from a module of this package. Worker threads and job
 * scripts always run the compiled JavaScript; when the caller runs from TypeScript sources
 * (tests, tsx) this points into dist/ all the same.
 */
export function builtFile(relativeToSrc: string, callerUrl: string, callerRelativeToSrc: string): string {
  const fromSrc = callerUrl.endsWith(".ts");
  const root = new URL(`${"../".repeat(callerRelativeToSrc.split("/").length - 1)}${fromSrc ? "../dist/" : ""}`, callerUrl);
  const path = fileURLToPath(new URL(relativeToSrc, root));
  if (!existsSync(path)) throw new SpikelabError(`${path} is missing; run \`npm run build\` first`);
  return path;
}

import { InvalidArgumentError, show } from "../../errors.js";
import { fileSource } from "./fileSource.js";
import { type ReadOptions, readAbf, readText, sniffFormat } from "./read.js";
import type { Recording } from "./types.js";

/**
 * Opens a recording file (Node): ABF 1/2 and NWB (HDF5) by their signatures, anything else as text
 * (eFEL's two columns, or CSV with a header). Reads the header first and only the data it needs.
 */
export async function openRecording(path: string, options: ReadOptions = {}): Promise<Recording> {
  const src = fileSource(path);
  try {
    if (src.size === 0) throw new InvalidArgumentError(`--trace must be a recording; ${show(path)} is empty`);
    const format = sniffFormat(src);
    if (format === "abf") return readAbf(src, path, options);
    if (format === "nwb") {
      const h5 = await import("h5wasm/node");
      await h5.ready;
      const { readNwbFile } = await import("./nwb.js");
      return readNwbFile(h5, path, path, options.sweep);
    }
    if (/\.(abf|nwb|h5|hdf5)$/i.test(path))
      throw new InvalidArgumentError(
        `--trace ${show(path)} must be a valid ${path.split(".").pop()?.toUpperCase()} file; its first bytes are not an ABF or HDF5 signature (corrupt or mislabelled)`,
      );
    return readText(src, path, options);
  } finally {
    src.close();
  }
}

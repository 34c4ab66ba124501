import * as z from "zod/mini";
import { parseDataText } from "../../dataText.js";
import { InvalidArgumentError } from "../../errors.js";
import { parseWith } from "../../validate.js";
import type { NmodlCell } from "./index.js";

/**
 * A cell file naming .mod mechanisms (JSON or YAML), as NEURON's `insert` and `gNaTa_tbar_NaTa_t = …`:
 *
 *   name: hay-soma
 *   celsius: 34
 *   mechanisms: [NaTa_t.mod, Ca_HVA.mod]     # files, relative to the cell file
 *   insert: [NaTa_t, Ca_HVA, pas]            # optional; default every file's SUFFIX
 *   parameters: { gNaTa_tbar_NaTa_t: 2.04, g_pas: 3.38e-5, e_pas: -90, ena: 50, eca: 132.458 }
 *
 * Values keep NEURON's units (S/cm² for conductances, mV, °C).
 */
export const NmodlCellSchema = z.object({
  name: z.optional(z.string().check(z.minLength(1))),
  title: z.optional(z.string()),
  source: z.optional(z.string()),
  celsius: z.optional(z.number().check(z.gte(-40), z.lte(60))),
  cm_uF_per_cm2: z.optional(z.number().check(z.gt(0))),
  v0_mV: z.optional(z.union([z.number(), z.literal("rest")])),
  mechanisms: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
  insert: z.optional(z.array(z.string().check(z.minLength(1)))),
  parameters: z.optional(z.record(z.string(), z.number())),
});

export type NmodlCellFile = NmodlCell & { readonly mechanisms: readonly string[] };

/** The cell when the text is a cell file (an object with `mechanisms`), else undefined (a model file). */
export function parseNmodlCell(text: string, format: "json" | "yaml", what: string): NmodlCellFile | undefined {
  // bounded as every data file (size, nesting, YAML aliases: dataText.ts); a syntax error is reported here too
  const data = parseDataText(text, format, what);
  if (data === null || typeof data !== "object" || !Object.hasOwn(data, "mechanisms")) return undefined;
  try {
    return parseWith(NmodlCellSchema, data, "NMODL cell") as NmodlCellFile;
  } catch (e) {
    throw new InvalidArgumentError(`${what}: ${(e as Error).message}`);
  }
}

/**
 * The exported name of a recorded variable, with its unit spelled: V → V_mV, I_Na → I_Na_uA_per_cm2, a pool's
 * concentration (among `concentrations`, e.g. cai) → cai_mM, gates unitless.
 */
export const columnName = (variable: string, concentrations: ReadonlySet<string> = NONE): string =>
  variable === "V"
    ? "V_mV"
    : variable.startsWith("I_")
      ? `${variable}_uA_per_cm2`
      : concentrations.has(variable)
        ? `${variable}_mM`
        : variable;
const NONE: ReadonlySet<string> = new Set();

/** The state variables of a model that are concentrations (mM): each pooled ion's `<ion>i`. */
export const concentrationNames = (model: { readonly ions?: Readonly<Record<string, { readonly pool?: unknown }>> }): ReadonlySet<string> =>
  new Set(Object.entries(model.ions ?? {}).flatMap(([name, ion]) => (ion.pool ? [`${name}i`] : [])));

/** CSV text from named columns of equal length (header row, then one row per index). */
export function toCsv(columns: Readonly<Record<string, ArrayLike<number | string>>>): string {
  const names = Object.keys(columns);
  const cols = names.map((k) => columns[k] as ArrayLike<number | string>);
  const rows = cols.length ? cols[0]!.length : 0;
  const lines = [names.join(",")];
  for (let r = 0; r < rows; r++) lines.push(cols.map((c) => String(c[r])).join(","));
  return `${lines.join("\n")}\n`;
}

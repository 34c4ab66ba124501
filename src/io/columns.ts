/** The exported name of a recorded variable, with its unit spelled: V → V_mV, I_Na → I_Na_uA_per_cm2, gates unitless. */
export const columnName = (variable: string): string =>
  variable === "V" ? "V_mV" : variable.startsWith("I_") ? `${variable}_uA_per_cm2` : variable;

/** CSV text from named columns of equal length (header row, then one row per index). */
export function toCsv(columns: Readonly<Record<string, ArrayLike<number | string>>>): string {
  const names = Object.keys(columns);
  const cols = names.map((k) => columns[k] as ArrayLike<number | string>);
  const rows = cols.length ? cols[0]!.length : 0;
  const lines = [names.join(",")];
  for (let r = 0; r < rows; r++) lines.push(cols.map((c) => String(c[r])).join(","));
  return `${lines.join("\n")}\n`;
}

/** Number formats used on figures and in the report, so the text on a figure can be compared with the analysis. */
export const fmt = {
  mV: (x: number) => `${x.toFixed(1)} mV`,
  ms: (x: number) => `${x.toFixed(2)} ms`,
  current: (x: number) => `${x.toFixed(3)} µA/cm²`,
} as const;

/**
 * The unit system of spikelab, declared once.
 *
 * Everything is per unit membrane area:
 *
 * | quantity            | unit    | alias      |
 * | ------------------- | ------- | ---------- |
 * | time                | ms      | `Ms`       |
 * | membrane potential  | mV      | `MV`       |
 * | conductance density | mS/cm²  | `MSPerCm2` |
 * | current density     | µA/cm²  | `UAPerCm2` |
 * | capacitance         | µF/cm²  | `UFPerCm2` |
 * | rate constant       | 1/ms    | `PerMs`    |
 * | temperature         | °C      | `Celsius`  |
 *
 * The units close: mS/cm² × mV = µA/cm², and µA/cm² ÷ µF/cm² = mV/ms, so the
 * current-balance equation Cm·dV/dt = I − Σ g·(V − E) needs no conversion factor.
 *
 * Inside the library the aliases are plain `number`s (free in hot loops). Wherever
 * data leaves the library — CSV columns, JSON keys, CLI flags — the unit is
 * spelled in the name: `t_ms`, `V_mV`, `amplitude_uA_per_cm2`, `rate_Hz`, `--dt-ms`.
 */
export type Ms = number;
export type MV = number;
export type MSPerCm2 = number;
export type UAPerCm2 = number;
export type UFPerCm2 = number;
export type PerMs = number;
export type Celsius = number;
export type Hz = number;

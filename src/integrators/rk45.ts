import { justBefore } from "./time.js";
import { type AdaptiveStepper, type OdeSystem, type Stepper, StepSizeUnderflow, type Tolerances } from "./types.js";

// Dormand & Prince (1980) RK5(4)7FM, with the dense output of Hairer, Nørsett & Wanner,
// "Solving ODEs I", §II.6 (their DOPRI5 code, CONTD5): a 4th-order continuous extension.
const c2 = 1 / 5,
  c3 = 3 / 10,
  c4 = 4 / 5,
  c5 = 8 / 9;
const a21 = 1 / 5;
const a31 = 3 / 40,
  a32 = 9 / 40;
const a41 = 44 / 45,
  a42 = -56 / 15,
  a43 = 32 / 9;
const a51 = 19372 / 6561,
  a52 = -25360 / 2187,
  a53 = 64448 / 6561,
  a54 = -212 / 729;
const a61 = 9017 / 3168,
  a62 = -355 / 33,
  a63 = 46732 / 5247,
  a64 = 49 / 176,
  a65 = -5103 / 18656;
const a71 = 35 / 384,
  a73 = 500 / 1113,
  a74 = 125 / 192,
  a75 = -2187 / 6784,
  a76 = 11 / 84;
// error weights: 5th-order minus embedded 4th-order solution
const e1 = 71 / 57600,
  e3 = -71 / 16695,
  e4 = 71 / 1920,
  e5 = -17253 / 339200,
  e6 = 22 / 525,
  e7 = -1 / 40;
// dense output
const d1 = -12715105075 / 11282082432,
  d3 = 87487479700 / 32700410799,
  d4 = -10690763975 / 1880347072;
const d5 = 701980252875 / 199316789632,
  d6 = -1453857185 / 822651844,
  d7 = 69997945 / 29380423;

/** Default tolerances of rk45 (see the README's work–precision table). */
export const DEFAULT_RTOL = 1e-6;
export const DEFAULT_ATOL = 1e-8;

/**
 * Adaptive Dormand–Prince 5(4): 5th-order steps with an embedded 4th-order error estimate, FSAL
 * (the last stage of a step is the first of the next: 6 evaluations per accepted step), and a 4th-order
 * dense output over each step.
 *
 * Error control: a step is accepted when max_j |err_j| / (atol + rtol·max(|y_j|, |y′_j|)) ≤ 1 — the
 * max norm, so each neuron of a batch is held to the tolerance as strictly as if it ran alone. The next
 * step is h·min(5, max(0.2, 0.9·err^(−1/5))), never growing right after a rejection.
 */
export function rk45(system: OdeSystem, tolerances: Tolerances = { rtol: DEFAULT_RTOL, atol: DEFAULT_ATOL }): AdaptiveStepper {
  const { rtol, atol } = tolerances;
  const hMax = tolerances.maxStep ?? Number.POSITIVE_INFINITY;
  const size = system.size;
  const buf = () => new Float64Array(size);
  const k1 = buf(),
    k2 = buf(),
    k3 = buf(),
    k4 = buf(),
    k5 = buf(),
    k6 = buf(),
    k7 = buf();
  const tmp = buf();
  const yNew = buf();
  // dense-output coefficients of the last accepted step
  const r1 = buf(),
    r2 = buf(),
    r3 = buf(),
    r4 = buf(),
    r5 = buf();
  let t = 0;
  let hSuggest = 0;
  let rejectedLast = false;
  let worst = 0;

  const self = {
    name: "rk45",
    accepted: 0,
    rejected: 0,
    evaluations: 0,
    t0: 0,
    t1: 0,
    get hNext() {
      return hSuggest;
    },

    restart(t_: number, y: Float64Array) {
      t = t_;
      self.t0 = self.t1 = t_;
      system.derivatives(t, y, k1);
      self.evaluations++;
      r1.set(y);
      r2.fill(0);
      r3.fill(0);
      r4.fill(0);
      r5.fill(0);
      if (hSuggest === 0) hSuggest = initialStep(y);
    },

    advance(tEnd: number, y: Float64Array): number {
      for (;;) {
        const room = tEnd - t;
        let h = Math.min(hSuggest, hMax);
        let lands = false;
        if (t + 1.01 * h >= tEnd) {
          h = room;
          lands = true;
        }
        if (!(h > Math.abs(t) * 1e-14 + 1e-300)) throw new StepSizeUnderflow(t, h, worst);
        system.derivatives(t + c2 * h, stage(y, h, a21), k2);
        for (let j = 0; j < size; j++) tmp[j] = (y[j] as number) + h * (a31 * (k1[j] as number) + a32 * (k2[j] as number));
        system.derivatives(t + c3 * h, tmp, k3);
        for (let j = 0; j < size; j++) {
          tmp[j] = (y[j] as number) + h * (a41 * (k1[j] as number) + a42 * (k2[j] as number) + a43 * (k3[j] as number));
        }
        system.derivatives(t + c4 * h, tmp, k4);
        for (let j = 0; j < size; j++) {
          tmp[j] =
            (y[j] as number) + h * (a51 * (k1[j] as number) + a52 * (k2[j] as number) + a53 * (k3[j] as number) + a54 * (k4[j] as number));
        }
        system.derivatives(t + c5 * h, tmp, k5);
        for (let j = 0; j < size; j++) {
          tmp[j] =
            (y[j] as number) +
            h *
              (a61 * (k1[j] as number) +
                a62 * (k2[j] as number) +
                a63 * (k3[j] as number) +
                a64 * (k4[j] as number) +
                a65 * (k5[j] as number));
        }
        const tNew = lands ? tEnd : t + h;
        const tEval = justBefore(tNew);
        system.derivatives(tEval, tmp, k6);
        for (let j = 0; j < size; j++) {
          yNew[j] =
            (y[j] as number) +
            h *
              (a71 * (k1[j] as number) +
                a73 * (k3[j] as number) +
                a74 * (k4[j] as number) +
                a75 * (k5[j] as number) +
                a76 * (k6[j] as number));
        }
        system.derivatives(tEval, yNew, k7);
        self.evaluations += 6;
        let err = 0;
        for (let j = 0; j < size; j++) {
          const e =
            h *
            (e1 * (k1[j] as number) +
              e3 * (k3[j] as number) +
              e4 * (k4[j] as number) +
              e5 * (k5[j] as number) +
              e6 * (k6[j] as number) +
              e7 * (k7[j] as number));
          const sc = atol + rtol * Math.max(Math.abs(y[j] as number), Math.abs(yNew[j] as number));
          const q = Math.abs(e) / sc;
          if (!(q <= err)) {
            err = q; // NaN propagates: a non-finite stage is a rejection
            worst = j;
          }
        }
        if (err <= 1) {
          // accepted: dense-output coefficients, then y ← y′ and k1 ← k7 (FSAL)
          for (let j = 0; j < size; j++) {
            const y0 = y[j] as number;
            const y1 = yNew[j] as number;
            const dy = y1 - y0;
            const bspl = h * (k1[j] as number) - dy;
            r1[j] = y0;
            r2[j] = dy;
            r3[j] = bspl;
            r4[j] = dy - h * (k7[j] as number) - bspl;
            r5[j] =
              h *
              (d1 * (k1[j] as number) +
                d3 * (k3[j] as number) +
                d4 * (k4[j] as number) +
                d5 * (k5[j] as number) +
                d6 * (k6[j] as number) +
                d7 * (k7[j] as number));
          }
          y.set(yNew);
          k1.set(k7);
          self.t0 = t;
          self.t1 = tNew;
          t = tNew;
          self.accepted++;
          let fac = err === 0 ? 5 : Math.min(5, Math.max(0.2, 0.9 * err ** -0.2));
          if (rejectedLast) fac = Math.min(fac, 1);
          rejectedLast = false;
          const hNew = h * fac;
          // a step cut short to land on tEnd does not shrink the suggestion for the next one
          hSuggest = lands && h < hSuggest ? Math.max(hNew, hSuggest) : hNew;
          return t;
        }
        self.rejected++;
        rejectedLast = true;
        hSuggest = h * (Number.isFinite(err) ? Math.max(0.2, 0.9 * err ** -0.2) : 0.2);
      }
    },

    dense(tq: number, out: Float64Array) {
      const h = self.t1 - self.t0;
      const s = h > 0 ? (tq - self.t0) / h : 1;
      const s1 = 1 - s;
      for (let j = 0; j < size; j++) {
        out[j] = (r1[j] as number) + s * ((r2[j] as number) + s1 * ((r3[j] as number) + s * ((r4[j] as number) + s1 * (r5[j] as number))));
      }
    },

    denseComponent(j: number, tq: number): number {
      const h = self.t1 - self.t0;
      const s = h > 0 ? (tq - self.t0) / h : 1;
      const s1 = 1 - s;
      return (r1[j] as number) + s * ((r2[j] as number) + s1 * ((r3[j] as number) + s * ((r4[j] as number) + s1 * (r5[j] as number))));
    },
  };

  function stage(y: Float64Array, h: number, a: number): Float64Array {
    for (let j = 0; j < size; j++) tmp[j] = (y[j] as number) + h * a * (k1[j] as number);
    return tmp;
  }

  /** Hairer–Nørsett–Wanner's starting step (HINIT), with the max norm; k1 holds f(t, y). */
  function initialStep(y: Float64Array): number {
    let d0 = 0;
    let d1n = 0;
    for (let j = 0; j < size; j++) {
      const sc = atol + rtol * Math.abs(y[j] as number);
      d0 = Math.max(d0, Math.abs(y[j] as number) / sc);
      d1n = Math.max(d1n, Math.abs(k1[j] as number) / sc);
    }
    let h0 = d0 < 1e-5 || d1n < 1e-5 ? 1e-6 : (0.01 * d0) / d1n;
    h0 = Math.min(h0, hMax);
    for (let j = 0; j < size; j++) tmp[j] = (y[j] as number) + h0 * (k1[j] as number);
    system.derivatives(t + h0, tmp, k2);
    self.evaluations++;
    let d2 = 0;
    for (let j = 0; j < size; j++) {
      const sc = atol + rtol * Math.abs(y[j] as number);
      d2 = Math.max(d2, Math.abs((k2[j] as number) - (k1[j] as number)) / sc / h0);
    }
    const m = Math.max(d1n, d2);
    const h1 = m <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : (0.01 / m) ** (1 / 5);
    return Math.min(100 * h0, h1, hMax);
  }

  return self;
}

/**
 * rk45 as a Stepper: each call integrates adaptively from t to exactly t + dt (restarting there, one extra
 * evaluation per call). For `integrate` on a time grid; `simulate` uses the adaptive stepper itself.
 */
export function rk45Stepper(system: OdeSystem, tolerances?: Tolerances): Stepper {
  const s = rk45(system, tolerances);
  return {
    name: "rk45",
    step(t, dt, y) {
      const tEnd = t + dt;
      s.restart(t, y);
      let tc = t;
      while (tc < tEnd) tc = s.advance(tEnd, y);
    },
  };
}

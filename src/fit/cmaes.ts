import { invalid } from "../errors.js";
import { symmetricEigen } from "./eigen.js";
import { SeededRandom } from "./random.js";

/**
 * CMA-ES, the covariance matrix adaptation evolution strategy, as N. Hansen, "The CMA Evolution Strategy:
 * A Tutorial" (arXiv:1604.00772, 2016/2023) states it: its default parameters (Table 1, with positive
 * recombination weights only), sampling (eq. 38–40), mean update (41), step-size control by cumulation
 * (43–44, with the h_σ stall of its Appendix A), rank-one and rank-μ covariance update (45–47).
 * Restarts with a doubling population: IPOP-CMA-ES (Auger & Hansen, CEC 2005), each restart from a uniformly
 * random point of the box. Bounds by a transformation (the tutorial's Appendix B, "Boundaries"): the
 * strategy works in unbounded coordinates y, a parameter is lower + (upper − lower)·r(y) with r the
 * reflection of y into [0, 1] (continuous, identity inside the box), so every candidate is feasible.
 *
 * Ask/tell: `ask()` gives λ candidates (phenotypes in the box), `tell(values)` their objective values.
 * The whole state is plain data (`state`) and a strategy restored from it continues bit for bit.
 */

export interface CmaEsOptions {
  readonly lower: readonly number[];
  readonly upper: readonly number[];
  /** Start point (inside the box); default its centre. */
  readonly x0?: readonly number[];
  /** Initial step size as a fraction of each bound's width. Default 0.25. */
  readonly sigma0?: number;
  /** Population of the first run; default 4 + ⌊3 ln n⌋. */
  readonly populationSize?: number;
  readonly seed?: number;
  /** Restarts (IPOP, population ×2 each); default 2. */
  readonly restarts?: number;
  /** Stop when a generation's values and the recent best values lie within this range. Default 1e-9. */
  readonly tolFun?: number;
  /** Stop when the step size in every coordinate is below this fraction of its bound's width. Default 1e-7. */
  readonly tolX?: number;
  /** Stop after this many generations in all (over restarts). Default 1000. */
  readonly maxGenerations?: number;
  /** Stop after this many evaluations in all. Default Infinity. */
  readonly maxEvaluations?: number;
  /** Stop when the best value is at or below this. Default −Infinity. */
  readonly targetValue?: number;
  /**
   * Restart only while the best value so far is above this (a run that converged to it or below ends the
   * search; e.g. Σz² ≤ the number of z-scored terms: every term within its stated spread on average).
   * Default −Infinity: restart after every run, up to `restarts`.
   */
  readonly restartAbove?: number;
  /**
   * Where a restart starts: "random", a uniformly random point of the box (IPOP as Auger & Hansen 2005), or
   * "x0", the start point again (a local restart: a larger population searches the same neighbourhood). Default "random".
   */
  readonly restartAt?: "random" | "x0";
}

/** Why a run (or the whole search) stopped. */
export type StopReason = "tolFun" | "tolX" | "conditionCov" | "noEffectAxis" | "maxGenerations" | "maxEvaluations" | "targetValue";

export interface CmaEsState {
  readonly version: 1;
  /** The options with defaults filled in (no limit: null, so that the state survives JSON). */
  readonly options: Required<
    Omit<CmaEsOptions, "x0" | "populationSize" | "maxEvaluations" | "targetValue" | "restartAbove" | "restartAt">
  > & {
    x0: number[];
    populationSize: number;
    maxEvaluations: number | null;
    targetValue: number | null;
    /** Absent in a state saved before they existed. */
    restartAbove?: number | null;
    restartAt?: "random" | "x0";
  };
  n: number;
  lambda: number;
  restart: number;
  /** Generation of the current run, and over all runs. */
  runGeneration: number;
  generations: number;
  evaluations: number;
  mean: number[];
  sigma: number;
  C: number[];
  ps: number[];
  pc: number[];
  /** Best value of each recent generation of this run (for tolFun). */
  history: number[];
  rng: number;
  /** The candidates of the last ask, in unbounded coordinates (the values told are theirs). */
  pending: number[][] | null;
  best: { x: number[]; value: number; generation: number } | null;
  /** Stop reasons of finished runs. */
  runs: { restart: number; lambda: number; generations: number; reason: StopReason; best: number }[];
  stopped: StopReason | null;
  /** The last generation's candidates (phenotypes) sorted by value, and the values (for the spread). */
  lastPopulation: { x: number[]; value: number }[];
}

/** Reflects y into [0, 1] (period 2): the identity inside, a mirror at each bound. */
export const reflectUnit = (y: number): number => {
  const r = ((y % 2) + 2) % 2;
  return r <= 1 ? r : 2 - r;
};

const expectedNorm = (n: number) => Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n));

/** The tutorial's default strategy parameters for dimension n and population λ. */
export function strategyParameters(n: number, lambda: number) {
  const mu = Math.floor(lambda / 2);
  const raw = Array.from({ length: mu }, (_, i) => Math.log((lambda + 1) / 2) - Math.log(i + 1));
  const sum = raw.reduce((a, b) => a + b, 0);
  const weights = raw.map((w) => w / sum);
  const muEff = 1 / weights.reduce((a, w) => a + w * w, 0);
  const cSigma = (muEff + 2) / (n + muEff + 5);
  const dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma;
  const cc = (4 + muEff / n) / (n + 4 + (2 * muEff) / n);
  const c1 = 2 / ((n + 1.3) ** 2 + muEff);
  const cMu = Math.min(1 - c1, (2 * (muEff - 2 + 1 / muEff)) / ((n + 2) ** 2 + muEff));
  return { mu, weights, muEff, cSigma, dSigma, cc, c1, cMu };
}

export class CmaEs {
  readonly state: CmaEsState;
  #B: Float64Array = new Float64Array(0);
  #D: Float64Array = new Float64Array(0);
  #rng: SeededRandom;

  constructor(options: CmaEsOptions | { state: CmaEsState }) {
    if ("state" in options) this.state = structuredClone(options.state);
    else this.state = CmaEs.#initial(options);
    this.#rng = new SeededRandom(this.state.rng);
    this.#decompose();
  }

  static #initial(o: CmaEsOptions): CmaEsState {
    const n = o.lower.length;
    if (n < 1) throw invalid("CMA-ES bounds", n, "at least one parameter");
    if (o.upper.length !== n) throw invalid("CMA-ES upper bounds", o.upper.length, `${n} values like lower`);
    for (let i = 0; i < n; i++) {
      const lo = o.lower[i] as number;
      const hi = o.upper[i] as number;
      if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo))
        throw invalid(`CMA-ES bounds of parameter ${i}`, [lo, hi], "finite with lower < upper");
    }
    const x0 = o.x0 ? [...o.x0] : o.lower.map((lo, i) => (lo + (o.upper[i] as number)) / 2);
    const options = {
      lower: [...o.lower],
      upper: [...o.upper],
      x0,
      sigma0: o.sigma0 ?? 0.25,
      populationSize: o.populationSize ?? 4 + Math.floor(3 * Math.log(n)),
      seed: o.seed ?? 1,
      restarts: o.restarts ?? 2,
      tolFun: o.tolFun ?? 1e-9,
      tolX: o.tolX ?? 1e-7,
      maxGenerations: o.maxGenerations ?? 1000,
      maxEvaluations: Number.isFinite(o.maxEvaluations) ? (o.maxEvaluations as number) : null,
      targetValue: Number.isFinite(o.targetValue) ? (o.targetValue as number) : null,
      restartAbove: Number.isFinite(o.restartAbove) ? (o.restartAbove as number) : null,
      restartAt: o.restartAt ?? "random",
    };
    if (!(Number.isInteger(options.populationSize) && options.populationSize >= 2))
      throw invalid("CMA-ES population size", options.populationSize, "an integer ≥ 2");
    if (!(options.sigma0 > 0)) throw invalid("CMA-ES sigma0", options.sigma0, "a positive fraction of the bounds' width");
    const mean = x0.map((x, i) => {
      const lo = o.lower[i] as number;
      const hi = o.upper[i] as number;
      if (!(x >= lo && x <= hi)) throw invalid(`CMA-ES start point of parameter ${i}`, x, `a value in [${lo}, ${hi}]`);
      return (x - lo) / (hi - lo);
    });
    return {
      version: 1,
      options,
      n,
      lambda: options.populationSize,
      restart: 0,
      runGeneration: 0,
      generations: 0,
      evaluations: 0,
      ...CmaEs.#run(n, mean, options.sigma0),
      history: [],
      rng: options.seed >>> 0,
      pending: null,
      best: null,
      runs: [],
      stopped: null,
      lastPopulation: [],
    };
  }

  static #run(n: number, mean: number[], sigma: number) {
    const C = new Array<number>(n * n).fill(0);
    for (let i = 0; i < n; i++) C[i * n + i] = 1;
    return { mean, sigma, C, ps: new Array<number>(n).fill(0), pc: new Array<number>(n).fill(0) };
  }

  #decompose(): void {
    const { n, C } = this.state;
    const { values, vectors } = symmetricEigen(Float64Array.from(C), n);
    this.#B = vectors;
    this.#D = values.map((v) => Math.sqrt(Math.max(v, 1e-300)));
  }

  /** A phenotype (a point in the box) of unbounded coordinates y. */
  phenotype(y: readonly number[]): number[] {
    const { lower, upper } = this.state.options;
    return y.map((v, i) => (lower[i] as number) + ((upper[i] as number) - (lower[i] as number)) * reflectUnit(v));
  }

  /** λ new candidates (phenotypes in the box). Asking again before telling returns the same ones. */
  ask(): number[][] {
    const s = this.state;
    if (s.stopped) throw invalid("CMA-ES ask", s.stopped, "a search that has not stopped");
    if (!s.pending) {
      const { n } = s;
      const pending: number[][] = [];
      for (let k = 0; k < s.lambda; k++) {
        const z = Array.from({ length: n }, () => this.#rng.normal());
        const y = new Array<number>(n).fill(0);
        for (let i = 0; i < n; i++) {
          let acc = 0;
          for (let j = 0; j < n; j++) acc += (this.#B[i * n + j] as number) * (this.#D[j] as number) * (z[j] as number);
          y[i] = (s.mean[i] as number) + s.sigma * acc;
        }
        pending.push(y);
      }
      s.pending = pending;
      s.rng = this.#rng.state;
    }
    return s.pending.map((y) => this.phenotype(y));
  }

  /** The objective values of the last ask's candidates (same order); updates the strategy. */
  tell(values: readonly number[]): void {
    const s = this.state;
    const X = s.pending;
    if (!X) throw invalid("CMA-ES tell", "no candidates", "called after ask");
    if (values.length !== X.length) throw invalid("CMA-ES tell values", values.length, `${X.length} values`);
    // a NaN (an evaluation that failed) ranks last
    const f = values.map((v) => (Number.isNaN(v) ? Number.POSITIVE_INFINITY : v));
    const order = f.map((_, i) => i).sort((a, b) => (f[a] as number) - (f[b] as number));
    const { n } = s;
    const p = strategyParameters(n, s.lambda);
    s.pending = null;
    s.generations++;
    s.runGeneration++;
    s.evaluations += X.length;
    const bestK = order[0] as number;
    if (!s.best || (f[bestK] as number) < s.best.value)
      s.best = { x: this.phenotype(X[bestK] as number[]), value: f[bestK] as number, generation: s.generations };
    s.lastPopulation = order.map((k) => ({ x: this.phenotype(X[k] as number[]), value: f[k] as number }));

    // mean (eq. 41, c_m = 1)
    const old = s.mean.slice();
    const mean = new Array<number>(n).fill(0);
    for (let r = 0; r < p.mu; r++) {
      const x = X[order[r] as number] as number[];
      for (let i = 0; i < n; i++) mean[i] = (mean[i] as number) + (p.weights[r] as number) * (x[i] as number);
    }
    s.mean = mean;
    const step = mean.map((m, i) => (m - (old[i] as number)) / s.sigma);
    // C^(−1/2)·step = B·D⁻¹·Bᵀ·step
    const bt = new Array<number>(n).fill(0);
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let i = 0; i < n; i++) acc += (this.#B[i * n + j] as number) * (step[i] as number);
      bt[j] = acc / (this.#D[j] as number);
    }
    const cs = Math.sqrt(p.cSigma * (2 - p.cSigma) * p.muEff);
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += (this.#B[i * n + j] as number) * (bt[j] as number);
      s.ps[i] = (1 - p.cSigma) * (s.ps[i] as number) + cs * acc;
    }
    const psNorm = Math.hypot(...s.ps);
    const hSigma = psNorm / Math.sqrt(1 - (1 - p.cSigma) ** (2 * s.runGeneration)) < (1.4 + 2 / (n + 1)) * expectedNorm(n) ? 1 : 0;
    const cc = Math.sqrt(p.cc * (2 - p.cc) * p.muEff);
    for (let i = 0; i < n; i++) s.pc[i] = (1 - p.cc) * (s.pc[i] as number) + hSigma * cc * (step[i] as number);
    // covariance (eq. 47 with the h_σ correction δ(h_σ) of Appendix A)
    const delta = (1 - hSigma) * p.cc * (2 - p.cc);
    const ys = Array.from({ length: p.mu }, (_, r) =>
      (X[order[r] as number] as number[]).map((x, i) => (x - (old[i] as number)) / s.sigma),
    );
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let rankMu = 0;
        for (let r = 0; r < p.mu; r++)
          rankMu += (p.weights[r] as number) * ((ys[r] as number[])[i] as number) * ((ys[r] as number[])[j] as number);
        const cij = s.C[i * n + j] as number;
        const v = (1 - p.c1 - p.cMu) * cij + p.c1 * ((s.pc[i] as number) * (s.pc[j] as number) + delta * cij) + p.cMu * rankMu;
        s.C[i * n + j] = v;
        s.C[j * n + i] = v;
      }
    }
    // step size (eq. 44)
    s.sigma *= Math.exp((p.cSigma / p.dSigma) * (psNorm / expectedNorm(n) - 1));
    this.#decompose();
    s.history.push(f[bestK] as number);
    const keep = 10 + Math.ceil((30 * n) / s.lambda);
    if (s.history.length > keep) s.history.splice(0, s.history.length - keep);
    this.#checkStop(f);
  }

  #checkStop(f: number[]): void {
    const s = this.state;
    const o = s.options;
    const n = s.n;
    const finite = f.filter(Number.isFinite);
    let reason: StopReason | null = null;
    if (s.best && o.targetValue !== null && s.best.value <= o.targetValue) reason = "targetValue";
    else if (s.generations >= o.maxGenerations) reason = "maxGenerations";
    else if (o.maxEvaluations !== null && s.evaluations + s.lambda > o.maxEvaluations) reason = "maxEvaluations";
    if (reason) {
      this.#endRun(reason);
      s.stopped = reason;
      return;
    }
    const all = [...s.history, ...finite];
    const keep = 10 + Math.ceil((30 * n) / s.lambda);
    const dMax = Math.max(...this.#D);
    const dMin = Math.min(...this.#D);
    if (s.history.length >= keep && finite.length === f.length && Math.max(...all) - Math.min(...all) < o.tolFun) reason = "tolFun";
    else if (s.pc.every((pc, i) => s.sigma * Math.max(Math.abs(pc), Math.sqrt(s.C[i * n + i] as number)) < o.tolX)) reason = "tolX";
    else if ((dMax / dMin) ** 2 > 1e14) reason = "conditionCov";
    else {
      // no effect axis: a 0.1σ step along a principal axis does not change the mean
      const k = s.runGeneration % n;
      let moves = false;
      for (let i = 0; i < n; i++) {
        const m = s.mean[i] as number;
        if (m + 0.1 * s.sigma * (this.#D[k] as number) * (this.#B[i * n + k] as number) !== m) moves = true;
      }
      if (!moves) reason = "noEffectAxis";
    }
    if (!reason) return;
    this.#endRun(reason);
    const good = o.restartAbove !== null && o.restartAbove !== undefined && s.best !== null && s.best.value <= o.restartAbove;
    if (s.restart >= o.restarts || good) {
      s.stopped = reason;
      return;
    }
    // IPOP: double the population, restart from a uniformly random point of the box (or from x0)
    s.restart++;
    s.lambda *= 2;
    s.runGeneration = 0;
    s.history = [];
    const mean =
      o.restartAt === "x0"
        ? o.x0.map((x, i) => (x - (o.lower[i] as number)) / ((o.upper[i] as number) - (o.lower[i] as number)))
        : Array.from({ length: n }, () => this.#rng.uniform());
    s.rng = this.#rng.state;
    Object.assign(s, CmaEs.#run(n, mean, o.sigma0));
    this.#decompose();
  }

  #endRun(reason: StopReason): void {
    const s = this.state;
    const runBest = Math.min(...s.history);
    s.runs.push({ restart: s.restart, lambda: s.lambda, generations: s.runGeneration, reason, best: runBest });
  }
}

/** Minimizes f over the box with IPOP-CMA-ES (for tests and small problems: one candidate at a time). */
export function minimize(f: (x: number[]) => number, options: CmaEsOptions): CmaEsState {
  const es = new CmaEs(options);
  while (!es.state.stopped) es.tell(es.ask().map(f));
  return es.state;
}

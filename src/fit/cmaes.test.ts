import { describe, expect, it } from "vitest";
import { CmaEs, minimize, reflectUnit, strategyParameters } from "./cmaes.js";
import { symmetricEigen } from "./eigen.js";

const sphere = (x: number[]) => x.reduce((a, v) => a + v * v, 0);
const rosenbrock = (x: number[]) => {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * ((x[i + 1] as number) - (x[i] as number) ** 2) ** 2 + (1 - (x[i] as number)) ** 2;
  return s;
};
const rastrigin = (x: number[]) => 10 * x.length + x.reduce((a, v) => a + v * v - 10 * Math.cos(2 * Math.PI * v), 0);
const box = (n: number, lo: number, hi: number) => ({ lower: new Array(n).fill(lo), upper: new Array(n).fill(hi) });
/** Rastrigin's domain [−5.12, 5.12]ⁿ, a start point and step, and the stopping rules every Rastrigin case here shares. */
const onRastrigin = (x0: number[], sigma0: number, seed: number) => ({
  ...box(x0.length, -5.12, 5.12),
  x0,
  sigma0,
  seed,
  tolFun: 1e-10,
  tolX: 1e-10,
  maxGenerations: 20000,
});

describe("CMA-ES (Hansen's tutorial)", () => {
  it("has the tutorial's default parameters for n = 10 (λ = 10, μ = 5, μ_eff ≈ 3.17)", () => {
    const p = strategyParameters(10, 4 + Math.floor(3 * Math.log(10)));
    expect(p.mu).toBe(5);
    expect(p.weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    expect(p.muEff).toBeCloseTo(3.1672, 3);
    expect(p.c1).toBeCloseTo(2 / (11.3 ** 2 + p.muEff), 14);
  });

  it("decomposes a symmetric matrix exactly (C·b = d·b)", () => {
    const c = Float64Array.of(4, 1, 0.5, 1, 3, 0.2, 0.5, 0.2, 2);
    const { values, vectors } = symmetricEigen(c, 3);
    for (let k = 0; k < 3; k++)
      for (let i = 0; i < 3; i++) {
        let cb = 0;
        for (let j = 0; j < 3; j++) cb += (c[i * 3 + j] as number) * (vectors[j * 3 + k] as number);
        expect(cb).toBeCloseTo((values[k] as number) * (vectors[i * 3 + k] as number), 12);
      }
  });

  it("converges on the 10-D sphere to 1e-10 in about 2,000 evaluations (a linear rate, as published)", () => {
    const s = minimize(sphere, {
      ...box(10, -10, 10),
      x0: new Array(10).fill(3),
      seed: 7,
      restarts: 0,
      tolFun: 1e-12,
      tolX: 1e-12,
      targetValue: 1e-10,
    });
    expect(s.stopped).toBe("targetValue");
    // Hansen & Ostermeier 2001, Fig. 5: ≈ 1,500–2,500 f-evaluations for n = 10 to 1e-10 from distance ~10
    expect(s.evaluations).toBeGreaterThan(1000);
    expect(s.evaluations).toBeLessThan(3500);
  });

  it("solves the 8-D Rosenbrock function (the curved valley needs the learned covariance)", () => {
    const s = minimize(rosenbrock, {
      ...box(8, -5, 5),
      x0: new Array(8).fill(0),
      seed: 3,
      restarts: 2,
      tolFun: 1e-14,
      tolX: 1e-12,
      targetValue: 1e-10,
      maxGenerations: 5000,
    });
    expect(s.best?.value).toBeLessThan(1e-10);
    for (const x of s.best?.x ?? []) expect(x).toBeCloseTo(1, 4);
  });

  it("IPOP restarts find Rastrigin's global minimum in 4-D where the first run is trapped in a local one", () => {
    const o = onRastrigin(new Array(4).fill(3), 0.2, 11);
    const single = minimize(rastrigin, { ...o, restarts: 0 });
    const ipop = minimize(rastrigin, { ...o, restarts: 6, targetValue: 1e-8 });
    expect(single.best?.value).toBeGreaterThan(0.9); // a local minimum (an integer point ≠ 0 gives ≥ 1)
    expect(ipop.best?.value).toBeLessThan(1e-8);
    expect(ipop.runs.length).toBeGreaterThan(1);
    expect(ipop.runs.at(-1)?.lambda).toBeGreaterThan(ipop.runs[0]?.lambda as number);
  });

  it("restartAbove: restarts only while the best is above it; a converged run at or below it ends the search", () => {
    const o = onRastrigin(new Array(4).fill(3), 0.2, 11);
    const all = minimize(rastrigin, { ...o, restarts: 6 });
    expect(all.runs.length).toBe(7);
    // the runs' bests, in order; a threshold between the first run's and the overall best stops at the first run below it
    const first = all.runs[0]?.best as number;
    const threshold = first + 1e-9; // the first run converged at or below this: no restart
    const once = minimize(rastrigin, { ...o, restarts: 6, restartAbove: threshold });
    expect(once.runs.length).toBe(1);
    expect(once.runs[0]?.reason).not.toBe("targetValue");
    const best = Math.min(...all.runs.map((r) => r.best));
    const k = all.runs.findIndex((r) => r.best < first - 0.5);
    const until = minimize(rastrigin, { ...o, restarts: 6, restartAbove: first - 0.5 });
    expect(until.runs.length).toBe(k + 1);
    expect(until.best?.value).toBeGreaterThanOrEqual(best);
  });

  it('restartAt "x0": each restart starts at the start point again (with a doubled population)', () => {
    const o = onRastrigin([3, -2], 0.02, 4);
    const firstMeans: number[][] = [];
    const es = new CmaEs({ ...o, restarts: 2, restartAt: "x0" });
    let restart = -1;
    while (!es.state.stopped) {
      if (es.state.restart !== restart) {
        restart = es.state.restart;
        firstMeans.push(es.state.mean.map((m, i) => -5.12 + m * 10.24 - (o.x0[i] as number)));
      }
      const X = es.ask();
      es.tell(X.map(rastrigin));
    }
    expect(firstMeans.length).toBe(3);
    for (const d of firstMeans) for (const x of d) expect(Math.abs(x)).toBeLessThan(1e-12);
    expect(es.state.runs.map((r) => r.lambda)).toEqual([6, 12, 24]);
  });

  it("keeps every candidate inside the bounds and finds a minimum on a bound", () => {
    const lower = [1, -2, 0];
    const upper = [2, 3, 0.5];
    const es = new CmaEs({ lower, upper, seed: 5, restarts: 0, tolX: 1e-10, tolFun: 1e-14 });
    while (!es.state.stopped) {
      const X = es.ask();
      for (const x of X) expect(x.every((v, i) => v >= (lower[i] as number) && v <= (upper[i] as number))).toBe(true);
      es.tell(X.map((x) => (x[0] as number) + ((x[1] as number) - 1) ** 2 - (x[2] as number)));
    }
    expect(es.state.best?.x[0]).toBeCloseTo(1, 5);
    expect(es.state.best?.x[1]).toBeCloseTo(1, 5);
    expect(es.state.best?.x[2]).toBeCloseTo(0.5, 5);
  });

  it("continues bit for bit from its saved state (a resumed search equals an uninterrupted one)", () => {
    const o = { ...box(5, -5, 5), seed: 42, maxGenerations: 60 };
    const whole = minimize(rosenbrock, o);
    const es = new CmaEs(o);
    for (let g = 0; g < 25; g++) es.tell(es.ask().map(rosenbrock));
    es.ask(); // asked but not told when "killed"
    const resumed = new CmaEs({ state: JSON.parse(JSON.stringify(es.state)) });
    while (!resumed.state.stopped) resumed.tell(resumed.ask().map(rosenbrock));
    expect(resumed.state.best).toEqual(whole.best);
    expect(resumed.state.mean).toEqual(whole.mean);
  });

  it("the same seed gives the same search, another seed another", () => {
    const o = { ...box(3, -5, 5), maxGenerations: 30 };
    expect(minimize(sphere, { ...o, seed: 1 }).mean).toEqual(minimize(sphere, { ...o, seed: 1 }).mean);
    expect(minimize(sphere, { ...o, seed: 1 }).mean).not.toEqual(minimize(sphere, { ...o, seed: 2 }).mean);
  });

  it("reflects unbounded coordinates into [0, 1]", () => {
    expect([0.3, 1.2, -0.2, 2.3, -1.7].map(reflectUnit).map((v) => +v.toFixed(12))).toEqual([0.3, 0.8, 0.2, 0.3, 0.3]);
  });
});

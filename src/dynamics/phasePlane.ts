/**
 * The phase plane of a 2-D model or of a 2-D reduction of a larger one: two chosen state variables, the others
 * at their steady state at the present V ("steady") or frozen at given values ("frozen"). Nullclines by
 * marching squares on a grid (one evaluation of the field for both) with every crossing refined by regula falsi
 * along its cell edge, once per edge (all branches,
 * however many); the vector field; the fixed points of the reduced system with their type; the stable manifold
 * of each saddle (the threshold as a separatrix).
 */
import { InvalidArgumentError } from "../errors.js";
import { classify, equilibria, type FixedPointType } from "./equilibria.js";
import type { VectorField } from "./field.js";
import { type Complex, eigenvalues, eigenvector } from "./linalg.js";

export type Polyline = { x: number; y: number }[];

export interface PhasePlaneOptions {
  /** State names on the axes (default V and the first gate). */
  readonly x?: string;
  readonly y?: string;
  readonly xRange: readonly [number, number];
  readonly yRange: readonly [number, number];
  /** How the other states are set: at x∞(V) (default) or frozen at `frozen` (default their resting values). */
  readonly others?: "steady" | "frozen";
  readonly frozen?: Readonly<Record<string, number>>;
  /** Grid cells per axis for the nullclines (default 200) and arrows per axis (default 20). */
  readonly grid?: number;
  readonly arrows?: number;
  /** Initial points (x, y) of trajectories of the reduced system, and their duration (ms; default 100). */
  readonly trajectories?: readonly (readonly [number, number])[];
  readonly trajectory_ms?: number;
}

export interface PlaneFixedPoint {
  readonly x: number;
  readonly y: number;
  readonly type: FixedPointType;
  readonly eigenvalues: readonly Complex[];
}

export interface PhasePlane {
  readonly x: string;
  readonly y: string;
  /** The reduction in words, for the figure ("2-D model", "m = m∞(V), h = 0.596 (frozen)", …). */
  readonly reduction: string;
  /** Segments of the x-nullcline (dx/dt = 0) and the y-nullcline, each a two-point line. */
  readonly xNullcline: readonly Polyline[];
  readonly yNullcline: readonly Polyline[];
  readonly vectors: readonly { x: number; y: number; dx: number; dy: number }[];
  readonly fixedPoints: readonly PlaneFixedPoint[];
  /** The stable manifolds of the saddles (both branches each). */
  readonly separatrices: readonly Polyline[];
  readonly trajectories: readonly Polyline[];
}

/** The reduced 2-D field (dx/dt, dy/dt) at (X, Y). */
function reduced(field: VectorField, ix: number, iy: number, o: PhasePlaneOptions) {
  const n = field.n;
  const names = field.names;
  const frozen = new Float64Array(n);
  const restState = equilibria(field)[0]?.state ?? field.steadyState(-65);
  for (let k = 0; k < n; k++) frozen[k] = o.frozen?.[names[k] as string] ?? (restState[k] as number);
  // with "steady", a state named in `frozen` stays frozen and every other one follows x∞(V)
  const isSteady = names.map((nm, k) => k > 0 && o.others !== "frozen" && o.frozen?.[nm] === undefined);
  const s = new Float64Array(n);
  const f = new Float64Array(n);
  const fill = (X: number, Y: number) => {
    s.set(frozen);
    s[ix] = X;
    s[iy] = Y;
    if (isSteady.some((b, k) => b && k !== ix && k !== iy)) {
      const ss = field.steadyState(s[0] as number);
      for (const k of field.pools) if (k !== ix && k !== iy && isSteady[k]) s[k] = ss[k] as number;
      // a gate's x∞ at V and the concentrations in force (a pool on an axis or frozen: its value there, not C∞(V))
      const gs = field.pools.length ? field.steadyState(s[0] as number, s) : ss;
      for (let k = 1; k < n; k++) if (k !== ix && k !== iy && isSteady[k] && !field.pools.includes(k)) s[k] = gs[k] as number;
    }
    return s;
  };
  const eval2 = (X: number, Y: number): [number, number] => {
    field.rhs(fill(X, Y), f);
    return [f[ix] as number, f[iy] as number];
  };
  const others = names.map((g, k) => ({ g, k })).filter(({ k }) => k !== ix && k !== iy);
  const states =
    others.length === 0
      ? "2-D model"
      : others.map(({ g, k }) => (isSteady[k] ? `${g} = ${g}∞(V)` : `${g} = ${(frozen[k] as number).toPrecision(3)} (frozen)`)).join(", ");
  const reduction = [states, ...field.held].join(", ");
  return { eval2, reduction };
}

/** The root of g on the segment from (x0, y0) (value f0) to (x1, y1) (value f1, of the other sign): Illinois regula falsi. */
function crossing(g: (x: number, y: number) => number, x0: number, y0: number, f0: number, x1: number, y1: number, f1: number) {
  let a = 0;
  let b = 1;
  let fa = f0;
  let fb = f1;
  let side = 0;
  let m = 0.5;
  for (let k = 0; k < 60; k++) {
    m = (a * fb - b * fa) / (fb - fa);
    if (!(m > a && m < b)) m = (a + b) / 2;
    const fm = g(x0 + m * (x1 - x0), y0 + m * (y1 - y0));
    if (fm === 0 || b - a < 1e-13) break;
    if (fa * fm < 0) {
      b = m;
      fb = fm;
      if (side === -1) fa /= 2;
      side = -1;
    } else {
      a = m;
      fa = fm;
      if (side === 1) fb /= 2;
      side = 1;
    }
    if (Math.abs(fm) < 1e-14 * (Math.abs(f0) + Math.abs(f1))) break;
  }
  return { x: x0 + m * (x1 - x0), y: y0 + m * (y1 - y0) };
}

/**
 * Marching squares for the zero set of g, given its values v on the (N + 1)² grid, each crossing refined on its
 * cell edge by regula falsi (once per edge: the two cells that share an edge share its crossing).
 */
function contour(g: (x: number, y: number) => number, v: Float64Array, xs: Float64Array, ys: Float64Array, N: number): Polyline[] {
  const at = (i: number, j: number) => v[i * (N + 1) + j] as number;
  const edges = new Map<number, { x: number; y: number }>();
  // edge key: the lower-left grid node and the direction (0: along x, 1: along y)
  const edge = (i: number, j: number, dir: 0 | 1) => {
    const key = (i * (N + 1) + j) * 2 + dir;
    let p = edges.get(key);
    if (!p) {
      const i1 = dir === 0 ? i + 1 : i;
      const j1 = dir === 1 ? j + 1 : j;
      p = crossing(g, xs[i] as number, ys[j] as number, at(i, j), xs[i1] as number, ys[j1] as number, at(i1, j1));
      edges.set(key, p);
    }
    return p;
  };
  const out: Polyline[] = [];
  const sides: [number, number, number, number, number, number, 0 | 1][] = [
    [0, 0, 1, 0, 0, 0, 0], // bottom: (i, j) → (i+1, j)
    [1, 0, 1, 1, 1, 0, 1], // right: (i+1, j) → (i+1, j+1)
    [1, 1, 0, 1, 0, 1, 0], // top: (i+1, j+1) → (i, j+1), edge from (i, j+1) along x
    [0, 1, 0, 0, 0, 0, 1], // left: (i, j+1) → (i, j), edge from (i, j) along y
  ];
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const pts: { x: number; y: number }[] = [];
      for (const [a1, b1, a2, b2, ei, ej, dir] of sides) {
        const f0 = at(i + a1, j + b1);
        const f1 = at(i + a2, j + b2);
        if (!(Number.isFinite(f0) && Number.isFinite(f1))) continue;
        if ((f0 < 0 && f1 >= 0) || (f0 >= 0 && f1 < 0)) pts.push(edge(i + ei, j + ej, dir));
      }
      if (pts.length === 2) out.push(pts);
      else if (pts.length === 4) {
        // a saddle cell: pair the crossings by the sign at the centre
        const centre = g(((xs[i] as number) + (xs[i + 1] as number)) / 2, ((ys[j] as number) + (ys[j + 1] as number)) / 2);
        const s0 = at(i, j);
        if (centre * s0 >= 0) {
          out.push([pts[0] as { x: number; y: number }, pts[1] as { x: number; y: number }]);
          out.push([pts[2] as { x: number; y: number }, pts[3] as { x: number; y: number }]);
        } else {
          out.push([pts[0] as { x: number; y: number }, pts[3] as { x: number; y: number }]);
          out.push([pts[1] as { x: number; y: number }, pts[2] as { x: number; y: number }]);
        }
      }
    }
  }
  return out;
}

/** Both nullclines from one evaluation of the reduced field on the grid. */
function nullclines(
  eval2: (x: number, y: number) => [number, number],
  xr: readonly [number, number],
  yr: readonly [number, number],
  N: number,
): [Polyline[], Polyline[]] {
  const xs = Float64Array.from({ length: N + 1 }, (_, i) => xr[0] + ((xr[1] - xr[0]) * i) / N);
  const ys = Float64Array.from({ length: N + 1 }, (_, j) => yr[0] + ((yr[1] - yr[0]) * j) / N);
  const fx = new Float64Array((N + 1) * (N + 1));
  const fy = new Float64Array((N + 1) * (N + 1));
  for (let i = 0; i <= N; i++)
    for (let j = 0; j <= N; j++) {
      const [a, b] = eval2(xs[i] as number, ys[j] as number);
      fx[i * (N + 1) + j] = a;
      fy[i * (N + 1) + j] = b;
    }
  return [contour((x, y) => eval2(x, y)[0], fx, xs, ys, N), contour((x, y) => eval2(x, y)[1], fy, xs, ys, N)];
}

/**
 * The phase plane of two state variables of a vector field (V in mV and a gate by default; the others
 * instantaneous or frozen, as the options say): nullclines (every branch), vector field, fixed points with their
 * type, and the saddle's stable manifold where there is one.
 */
export function phasePlane(field: VectorField, o: PhasePlaneOptions): PhasePlane {
  const names = field.names;
  const xName = o.x ?? "V";
  const yName = o.y ?? (names[1] as string);
  const ix = names.indexOf(xName);
  const iy = names.indexOf(yName);
  if (ix < 0)
    throw new InvalidArgumentError(
      `x must be a state variable of "${field.model.name}" (${names.join(", ")}); got ${JSON.stringify(xName)}`,
    );
  if (iy < 0 || iy === ix)
    throw new InvalidArgumentError(
      `y must be another state variable of "${field.model.name}" (${names.join(", ")}); got ${JSON.stringify(yName)}`,
    );
  for (const [k, r] of [
    ["xRange", o.xRange],
    ["yRange", o.yRange],
  ] as const) {
    if (!(Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[0] < r[1]))
      throw new InvalidArgumentError(`${k} must be two finite numbers, lower first; got [${r[0]}, ${r[1]}]`);
  }
  const { eval2, reduction } = reduced(field, ix, iy, o);
  const N = o.grid ?? 200;
  const [xNullcline, yNullcline] = nullclines(eval2, o.xRange, o.yRange, N);
  const A = o.arrows ?? 20;
  const vectors: { x: number; y: number; dx: number; dy: number }[] = [];
  for (let i = 0; i < A; i++) {
    for (let j = 0; j < A; j++) {
      const x = o.xRange[0] + ((o.xRange[1] - o.xRange[0]) * (i + 0.5)) / A;
      const y = o.yRange[0] + ((o.yRange[1] - o.yRange[0]) * (j + 0.5)) / A;
      const [dx, dy] = eval2(x, y);
      vectors.push({ x, y, dx, dy });
    }
  }
  // fixed points: Newton from the midpoints of x-nullcline segments where the y-field changes sign nearby
  const hx = (o.xRange[1] - o.xRange[0]) * 1e-7;
  const hy = (o.yRange[1] - o.yRange[0]) * 1e-7;
  const jac = (x: number, y: number) => {
    const [a1, a2] = eval2(x + hx, y);
    const [b1, b2] = eval2(x - hx, y);
    const [c1, c2] = eval2(x, y + hy);
    const [d1, d2] = eval2(x, y - hy);
    return [(a1 - b1) / (2 * hx), (c1 - d1) / (2 * hy), (a2 - b2) / (2 * hx), (c2 - d2) / (2 * hy)];
  };
  const fixedPoints: PlaneFixedPoint[] = [];
  for (const seg of xNullcline) {
    const [p, q] = seg as [{ x: number; y: number }, { x: number; y: number }];
    const gp = eval2(p.x, p.y)[1];
    const gq = eval2(q.x, q.y)[1];
    if (gp * gq > 0) continue;
    let x = (p.x + q.x) / 2;
    let y = (p.y + q.y) / 2;
    let ok = false;
    for (let it = 0; it < 30; it++) {
      const [f1, f2] = eval2(x, y);
      const [a, b, c, d] = jac(x, y) as [number, number, number, number];
      const det = a * d - b * c;
      if (!(Math.abs(det) > 0)) break;
      const dx = (d * f1 - b * f2) / det;
      const dy = (-c * f1 + a * f2) / det;
      x -= dx;
      y -= dy;
      if (Math.abs(dx) < 1e-12 * (1 + Math.abs(x)) && Math.abs(dy) < 1e-12 * (1 + Math.abs(y))) {
        ok = true;
        break;
      }
    }
    if (!ok || x < o.xRange[0] || x > o.xRange[1] || y < o.yRange[0] || y > o.yRange[1]) continue;
    if (
      fixedPoints.some(
        (f) => Math.abs(f.x - x) < 1e-6 * (o.xRange[1] - o.xRange[0]) && Math.abs(f.y - y) < 1e-6 * (o.yRange[1] - o.yRange[0]),
      )
    )
      continue;
    const J = jac(x, y);
    const eig = eigenvalues(J, 2);
    fixedPoints.push({ x, y, type: classify(eig), eigenvalues: eig });
  }
  fixedPoints.sort((a, b) => a.x - b.x);
  // reduced-system trajectories (RK4), forwards or (sign −1) backwards, until they leave a margin around the box
  // RK4 with a step that moves the point by about 0.3 % of the box (at most 1 ms): fine where the flow is fast,
  // long where it is slow
  const run = (x0: number, y0: number, duration: number, sign: number): Polyline => {
    const line: Polyline = [{ x: x0, y: y0 }];
    let x = x0;
    let y = y0;
    const wx = o.xRange[1] - o.xRange[0];
    const wy = o.yRange[1] - o.yRange[0];
    let t = 0;
    for (let k = 0; k < 20000 && t < duration; k++) {
      const [a1, a2] = eval2(x, y);
      const dt = Math.min(1, duration - t, 0.003 / (Math.hypot(a1 / wx, a2 / wy) || 1e-12));
      const h = sign * dt;
      const [b1, b2] = eval2(x + 0.5 * h * a1, y + 0.5 * h * a2);
      const [c1, c2] = eval2(x + 0.5 * h * b1, y + 0.5 * h * b2);
      const [d1, d2] = eval2(x + h * c1, y + h * c2);
      x += (h * (a1 + 2 * b1 + 2 * c1 + d1)) / 6;
      y += (h * (a2 + 2 * b2 + 2 * c2 + d2)) / 6;
      t += dt;
      if (!(Number.isFinite(x) && Number.isFinite(y))) break;
      line.push({ x, y });
      if (x < o.xRange[0] - 0.2 * wx || x > o.xRange[1] + 0.2 * wx || y < o.yRange[0] - 0.2 * wy || y > o.yRange[1] + 0.2 * wy) break;
    }
    return line;
  };
  const separatrices: Polyline[] = [];
  for (const fp of fixedPoints) {
    if (fp.type !== "saddle") continue;
    const J = jac(fp.x, fp.y);
    const neg = fp.eigenvalues.find((l) => l.re < 0) as Complex;
    const v = eigenvector(J, 2, neg);
    const sx = (o.xRange[1] - o.xRange[0]) * 1e-4;
    const sy = (o.yRange[1] - o.yRange[0]) * 1e-4;
    const norm = Math.hypot((v.re[0] as number) / sx, (v.re[1] as number) / sy);
    for (const s of [1, -1]) {
      separatrices.push(run(fp.x + (s * (v.re[0] as number)) / norm, fp.y + (s * (v.re[1] as number)) / norm, 500, -1));
    }
  }
  const trajectories = (o.trajectories ?? []).map(([x, y]) => run(x, y, o.trajectory_ms ?? 100, 1));
  return { x: xName, y: yName, reduction, xNullcline, yNullcline, vectors, fixedPoints, separatrices, trajectories };
}

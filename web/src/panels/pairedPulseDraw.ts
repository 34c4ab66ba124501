/**
 * Pure drawing of the paired-pulse view's two figures as SVG strings (no DOM): the trial (V above, the injected
 * current with both pulses below, the second pulse's handle to drag) and the recovery plot (the measured
 * second-pulse threshold against Δ, the absolute and relative refractory periods, the +5 % criterion, and the
 * student's tried points). Labels are placed by the library's one rule (src/plot/labels.ts); each figure returns
 * its scales so the page can turn a pointer position into (Δ, amplitude).
 */
import { type Box, dotBox, MARK_COLORS, niceTicks, type Polyline, placeLabels, textWidth, variableColor } from "../lib.js";

const FS = 12;
const LINE_H = FS * 1.3;
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const num = (v: number) => String(Number(v.toPrecision(6)));
const FIRED = "#1a7f37";
const NOT_FIRED = "#c62828";

/** One label to place: words, anchor, candidate positions, colour. */
interface Want {
  text: string;
  x: number;
  y: number;
  candidates: { dx: number; dy: number; align: "start" | "middle" | "end" }[];
  color: string;
  bold?: boolean;
}

export interface PlacedText {
  text: string;
  box: Box;
}

/** Places the labels by the shared rule and returns their SVG and boxes. */
function labels(wants: Want[], bounds: Box, lines: Polyline[], boxes: Box[]): { svg: string[]; placed: PlacedText[] } {
  const placed = placeLabels(
    wants.map((w, i) => ({
      id: String(i),
      x: w.x,
      y: w.y,
      width: textWidth(w.text, FS, w.bold),
      height: LINE_H,
      candidates: w.candidates,
    })),
    { bounds, lines, boxes, pad: 2 },
  );
  const svg = placed.map((p) => {
    const w = wants[Number(p.id)] as Want;
    return `<text class="label" x="${p.textX.toFixed(1)}" y="${p.baseline.toFixed(1)}" text-anchor="${p.align}" fill="${w.color}"${w.bold ? ' font-weight="bold"' : ""}>${esc(w.text)}</text>`;
  });
  return { svg, placed: placed.map((p) => ({ text: (wants[Number(p.id)] as Want).text, box: p.box })) };
}

/** What the recovery measurement says, in the figures' terms (Δ from the first spike, ms). */
export interface Periods {
  absolute_ms: number | null;
  relative_ms: number | null;
}

export interface TrialData {
  t_ms: ArrayLike<number>;
  V_mV: ArrayLike<number>;
  I_uA_per_cm2: ArrayLike<number>;
  /** The first spike (ms); Δ is measured from it. */
  first_spike_ms: number;
  first_pulse_start_ms: number;
  pulse_ms: number;
  interval_ms: number;
  amplitude_uA_per_cm2: number;
  fired: boolean;
  /** Time shown after the first spike (ms). */
  window_ms: number;
  /** Top of the current axis (µA/cm²). */
  iMax: number;
  periods: Periods | null;
}

export interface TrialFigure {
  svg: string;
  labels: PlacedText[];
  /** Pixel → (Δ, amplitude) over the current panel, and the panel's frame (for the pointer). */
  toSetting(x: number, y: number): { interval_ms: number; amplitude_uA_per_cm2: number };
  currentFrame: Box;
}

/** The trial: V (mV) above, the injected current (µA/cm²) with both pulses below, the second pulse's handle on it. */
export function trialFigure(d: TrialData, width: number): TrialFigure {
  const m = { left: 58, right: 14, top: 30 };
  const vH = 190;
  const gap = 14;
  const iH = 110;
  const height = m.top + vH + gap + iH + 44;
  const w = width - m.left - m.right;
  const xMax = d.first_spike_ms + d.window_ms + 10;
  const px = (t: number) => m.left + (t / xMax) * w;
  const vr: [number, number] = [-100, 60];
  const pyV = (v: number) => m.top + vH - ((v - vr[0]) / (vr[1] - vr[0])) * vH;
  const iTop = m.top + vH + gap;
  const pyI = (i: number) => iTop + iH - (i / d.iMax) * iH;
  const vFrame: Box = { x0: m.left, y0: m.top, x1: m.left + w, y1: m.top + vH };
  const iFrame: Box = { x0: m.left, y0: iTop, x1: m.left + w, y1: iTop + iH };
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, 'DejaVu Sans', sans-serif" font-size="${FS}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${m.left}" y="18" font-size="14" font-weight="600" fill="#1b1f24">Trial: V and the injected current</text>`,
    `<defs><clipPath id="pp-clip-v"><rect x="${vFrame.x0}" y="${vFrame.y0}" width="${w}" height="${vH}"/></clipPath><clipPath id="pp-clip-i"><rect x="${iFrame.x0}" y="${iFrame.y0}" width="${w}" height="${iH}"/></clipPath></defs>`,
  ];
  // the refractory periods as bands from the first spike, in both panels
  const bandBoxes: Box[] = [];
  const wants: Want[] = [];
  if (d.periods) {
    const a = d.periods.absolute_ms;
    const r = d.periods.relative_ms;
    const t1 = d.first_spike_ms;
    const x1 = (t: number) => Math.min(px(t), vFrame.x1);
    if (a !== null) {
      out.push(
        `<rect class="band-absolute" x="${px(t1)}" y="${vFrame.y0}" width="${Math.max(0, x1(t1 + a) - px(t1))}" height="${iFrame.y1 - vFrame.y0}" fill="${MARK_COLORS.absolute}" fill-opacity="0.22"/>`,
      );
    }
    const from = t1 + (a ?? 0);
    const to = r === null ? xMax : t1 + r;
    if (to > from) {
      // a bar along the bottom of the V panel: the relative period does not hide what happens inside it
      out.push(
        `<rect class="band-relative" x="${px(from)}" y="${vFrame.y1 - 7}" width="${Math.max(0, x1(to) - px(from))}" height="7" fill="${MARK_COLORS.relative}"/>`,
      );
      bandBoxes.push({ x0: px(from), y0: vFrame.y1 - 7, x1: x1(to), y1: vFrame.y1 });
      wants.push({
        text: r === null ? "relative: beyond the scan" : `relative until Δ ${r.toFixed(1)} ms`,
        x: px(from),
        y: vFrame.y1 - 16,
        candidates: Array.from({ length: 10 }, (_, k) => -16 * k).flatMap((dy) => [
          { dx: 4, dy, align: "start" as const },
          { dx: x1(to) - px(from) - 4, dy, align: "end" as const },
        ]),
        color: MARK_COLORS.relativeText,
        bold: true,
      });
    }
    if (a !== null)
      wants.push({
        text: `absolute ${a.toFixed(2)} ms`,
        x: px(t1 + a),
        y: vFrame.y0 + 14,
        candidates: [0, 16, 32, 48].flatMap((dy) => [
          { dx: 4, dy, align: "start" as const },
          { dx: -4, dy, align: "end" as const },
        ]),
        color: MARK_COLORS.absoluteText,
        bold: true,
      });
  }
  // grid, ticks and axes
  const xt = niceTicks(0, xMax, Math.max(3, Math.floor(w / 70)));
  out.push(`<g stroke="#e4e7eb">`);
  for (const t of xt)
    out.push(
      `<line x1="${px(t)}" x2="${px(t)}" y1="${vFrame.y0}" y2="${vFrame.y1}"/><line x1="${px(t)}" x2="${px(t)}" y1="${iFrame.y0}" y2="${iFrame.y1}"/>`,
    );
  for (const v of niceTicks(vr[0], vr[1], 4)) out.push(`<line x1="${vFrame.x0}" x2="${vFrame.x1}" y1="${pyV(v)}" y2="${pyV(v)}"/>`);
  const it = niceTicks(0, d.iMax, 3);
  for (const i of it) out.push(`<line x1="${iFrame.x0}" x2="${iFrame.x1}" y1="${pyI(i)}" y2="${pyI(i)}"/>`);
  out.push(`</g><g fill="#3c434d">`);
  for (const t of xt) out.push(`<text x="${px(t)}" y="${iFrame.y1 + 16}" text-anchor="middle">${num(t)}</text>`);
  for (const v of niceTicks(vr[0], vr[1], 4)) out.push(`<text x="${m.left - 6}" y="${pyV(v) + 4}" text-anchor="end">${num(v)}</text>`);
  for (const i of it) out.push(`<text x="${m.left - 6}" y="${pyI(i) + 4}" text-anchor="end">${num(i)}</text>`);
  out.push(
    `<text x="${m.left + w / 2}" y="${iFrame.y1 + 34}" text-anchor="middle">t (ms)</text>`,
    `<text transform="translate(14 ${m.top + vH / 2}) rotate(-90)" text-anchor="middle">V (mV)</text>`,
    `<text transform="translate(14 ${iTop + iH / 2}) rotate(-90)" text-anchor="middle">I (µA/cm²)</text>`,
    `</g>`,
  );
  for (const f of [vFrame, iFrame])
    out.push(`<rect x="${f.x0}" y="${f.y0}" width="${w}" height="${f.y1 - f.y0}" fill="none" stroke="#9aa1ab"/>`);
  // the curves, clipped to their panels
  const vLine: Polyline = { x: [], y: [] };
  const iLine: Polyline = { x: [], y: [] };
  const vx = vLine.x as number[];
  const vy = vLine.y as number[];
  const ix = iLine.x as number[];
  const iy = iLine.y as number[];
  for (let k = 0; k < d.t_ms.length; k++) {
    const t = d.t_ms[k] as number;
    if (t > xMax) break;
    vx.push(px(t));
    vy.push(pyV(d.V_mV[k] as number));
    ix.push(px(t));
    iy.push(pyI(d.I_uA_per_cm2[k] as number));
  }
  const path = (l: Polyline) => Array.from(l.x, (x, k) => `${k ? "L" : "M"}${x.toFixed(1)},${(l.y[k] as number).toFixed(1)}`).join("");
  out.push(
    `<path clip-path="url(#pp-clip-v)" d="${path(vLine)}" fill="none" stroke="${variableColor("V")}" stroke-width="1.5"/>`,
    `<path clip-path="url(#pp-clip-i)" d="${path(iLine)}" fill="none" stroke="${variableColor("I_inj")}" stroke-width="1.5"/>`,
  );
  // the first spike, Δ, and the second pulse's handle
  const t1x = px(d.first_spike_ms);
  const s2 = d.first_spike_ms + d.interval_ms;
  const hx = px(s2 + d.pulse_ms / 2);
  const hy = pyI(Math.min(Math.max(d.amplitude_uA_per_cm2, 0), d.iMax));
  const dy = iFrame.y0 + 12;
  out.push(
    `<line x1="${t1x}" x2="${t1x}" y1="${vFrame.y0}" y2="${iFrame.y1}" stroke="#5b6470" stroke-dasharray="3 3"/>`,
    `<line class="delta" x1="${t1x}" x2="${px(s2)}" y1="${dy}" y2="${dy}" stroke="#1b1f24" stroke-width="1.5"/>`,
    `<circle class="handle" cx="${hx.toFixed(1)}" cy="${hy.toFixed(1)}" r="9" fill="${d.fired ? FIRED : NOT_FIRED}" fill-opacity="0.85" stroke="#1b1f24" stroke-width="1.5"/>`,
  );
  const handle = dotBox(hx, hy, 11);
  wants.unshift(
    {
      text: d.fired ? "2nd pulse fired" : "2nd pulse: no spike",
      x: px(s2),
      y: vFrame.y0 + 16,
      candidates: [0, 16, 32, 48, 64, 80].flatMap((k) =>
        [6, 30, 60, 100].flatMap((dx) => [
          { dx, dy: k, align: "start" as const },
          { dx: -dx, dy: k, align: "end" as const },
        ]),
      ),
      color: d.fired ? FIRED : NOT_FIRED,
      bold: true,
    },
    {
      text: `Δ ${d.interval_ms.toFixed(2)} ms`,
      x: (t1x + px(s2)) / 2,
      y: dy,
      candidates: [
        { dx: 0, dy: 12, align: "middle" },
        { dx: (px(s2) - t1x) / 2 + 14, dy: 0, align: "start" },
        { dx: (px(s2) - t1x) / 2 + 14, dy: 14, align: "start" },
        { dx: -(px(s2) - t1x) / 2 - 4, dy: 14, align: "end" },
        { dx: (px(s2) - t1x) / 2 + 14, dy: 28, align: "start" },
      ],
      color: "#1b1f24",
    },
  );
  const placedV = labels(
    wants.filter((x) => x.y < vFrame.y1),
    vFrame,
    [vLine, { x: [t1x, t1x], y: [vFrame.y0, vFrame.y1] }],
    bandBoxes,
  );
  const placedI = labels(
    wants.filter((x) => x.y >= iFrame.y0),
    iFrame,
    [iLine, { x: [t1x, t1x], y: [iFrame.y0, iFrame.y1] }, { x: [t1x, px(s2)], y: [dy, dy] }],
    [handle],
  );
  out.push(...placedV.svg, ...placedI.svg, `</svg>`);
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  return {
    svg: out.join("\n"),
    labels: [...placedV.placed, ...placedI.placed],
    currentFrame: iFrame,
    toSetting: (x, y) => ({
      interval_ms: clamp(((x - m.left) / w) * xMax - d.first_spike_ms - d.pulse_ms / 2, 0.1, d.window_ms),
      amplitude_uA_per_cm2: clamp(((iFrame.y1 - y) / iH) * d.iMax, 0, d.iMax),
    }),
  };
}

export interface Trial {
  interval_ms: number;
  amplitude_uA_per_cm2: number;
  fired: boolean;
}

export interface RecoveryData {
  intervals_ms: readonly number[];
  thresholds_uA_per_cm2: readonly (number | null)[];
  single_pulse_threshold_uA_per_cm2: number;
  recovery_fraction: number;
  cap_uA_per_cm2: number;
  cap_factor: number;
  periods: Periods;
  scanned_range_ms: [number, number];
  trials: readonly Trial[];
  /** The trial on screen now. */
  current: Trial | null;
}

export interface RecoveryFigure {
  svg: string;
  labels: PlacedText[];
  frame: Box;
  toSetting(x: number, y: number): { interval_ms: number; amplitude_uA_per_cm2: number };
}

/** The recovery plot: second-pulse threshold against Δ (log scale), both periods, the +5 % criterion, the tried points. */
export function recoveryFigure(d: RecoveryData, width: number): RecoveryFigure {
  const m = { left: 58, right: 14, top: 30, bottom: 48 };
  const h = 250;
  const height = m.top + h + m.bottom;
  const w = width - m.left - m.right;
  const [d0, d1] = d.scanned_range_ms;
  const lx0 = Math.log(d0 * 0.8);
  const lx1 = Math.log(d1 * 1.15);
  const px = (v: number) => m.left + ((Math.log(v) - lx0) / (lx1 - lx0)) * w;
  const yTop = d.cap_uA_per_cm2 * 1.12;
  const py = (v: number) => m.top + h - (v / yTop) * h;
  const frame: Box = { x0: m.left, y0: m.top, x1: m.left + w, y1: m.top + h };
  const base = d.single_pulse_threshold_uA_per_cm2;
  const crit = base * (1 + d.recovery_fraction);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, 'DejaVu Sans', sans-serif" font-size="${FS}">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${m.left}" y="18" font-size="14" font-weight="600" fill="#1b1f24">Recovery of the threshold</text>`,
  ];
  const a = d.periods.absolute_ms;
  const r = d.periods.relative_ms;
  if (a !== null)
    out.push(
      `<rect x="${frame.x0}" y="${frame.y0}" width="${Math.max(0, px(a) - frame.x0)}" height="${h}" fill="${MARK_COLORS.absolute}" fill-opacity="0.22"/>`,
    );
  const relFrom = a === null ? frame.x0 : px(a);
  const relTo = r === null ? frame.x1 : Math.min(px(r), frame.x1);
  out.push(
    `<rect x="${relFrom}" y="${frame.y0}" width="${Math.max(0, relTo - relFrom)}" height="${h}" fill="${MARK_COLORS.relative}" fill-opacity="0.12"/>`,
  );
  const xt = [0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500].filter((t) => px(t) >= frame.x0 && px(t) <= frame.x1);
  const keep = w < 380 ? xt.filter((t) => [0.5, 1, 5, 10, 50, 100, 500].includes(t)) : xt;
  const yt = niceTicks(0, yTop, 5);
  out.push(`<g stroke="#e4e7eb">`);
  for (const t of xt) out.push(`<line x1="${px(t)}" x2="${px(t)}" y1="${frame.y0}" y2="${frame.y1}"/>`);
  for (const v of yt) out.push(`<line x1="${frame.x0}" x2="${frame.x1}" y1="${py(v)}" y2="${py(v)}"/>`);
  out.push(`</g><g fill="#3c434d">`);
  for (const t of keep) out.push(`<text x="${px(t)}" y="${frame.y1 + 16}" text-anchor="middle">${num(t)}</text>`);
  for (const v of yt) out.push(`<text x="${m.left - 6}" y="${py(v) + 4}" text-anchor="end">${num(v)}</text>`);
  out.push(
    `<text x="${m.left + w / 2}" y="${frame.y1 + 36}" text-anchor="middle">Δ after the first spike (ms, log scale)</text>`,
    `<text transform="translate(14 ${m.top + h / 2}) rotate(-90)" text-anchor="middle">threshold (µA/cm²)</text>`,
    `</g><rect x="${frame.x0}" y="${frame.y0}" width="${w}" height="${h}" fill="none" stroke="#9aa1ab"/>`,
  );
  // reference levels: the single-pulse threshold, the +5 % criterion, the cap
  const level = (v: number, stroke: string, dash: string) =>
    `<line x1="${frame.x0}" x2="${frame.x1}" y1="${py(v)}" y2="${py(v)}" stroke="${stroke}" stroke-dasharray="${dash}"/>`;
  out.push(level(base, "#333", "5 4"), level(crit, MARK_COLORS.relativeText, "2 3"), level(d.cap_uA_per_cm2, "#a32020", "1 0"));
  // the measured curve and the intervals where nothing fires up to the cap
  const pts = d.intervals_ms.flatMap((x, i) => (d.thresholds_uA_per_cm2[i] == null ? [] : [[x, d.thresholds_uA_per_cm2[i] as number]]));
  const none = d.intervals_ms.filter((_, i) => d.thresholds_uA_per_cm2[i] == null);
  const curve: Polyline = { x: pts.map((p) => px(p[0] as number)), y: pts.map((p) => py(p[1] as number)) };
  out.push(
    `<path class="recovery-curve" d="${Array.from(curve.x, (x, k) => `${k ? "L" : "M"}${x.toFixed(1)},${(curve.y[k] as number).toFixed(1)}`).join("")}" fill="none" stroke="#1b1f24" stroke-width="1.6"/>`,
  );
  const boxes: Box[] = [];
  for (const p of pts) {
    out.push(`<circle cx="${px(p[0] as number).toFixed(1)}" cy="${py(p[1] as number).toFixed(1)}" r="2.5" fill="#1b1f24"/>`);
    boxes.push(dotBox(px(p[0] as number), py(p[1] as number), 3));
  }
  for (const x of none) {
    const cx = px(x);
    const cy = py(d.cap_uA_per_cm2);
    out.push(
      `<path d="M${cx - 4},${cy - 4}L${cx + 4},${cy + 4}M${cx - 4},${cy + 4}L${cx + 4},${cy - 4}" stroke="#a32020" stroke-width="1.8"/>`,
    );
    boxes.push(dotBox(cx, cy, 5));
  }
  // the student's trials: filled green = fired, open red = no spike; the one on screen ringed
  const onPlot = (t: Trial) => ({ x: px(Math.max(t.interval_ms, d0 * 0.8)), y: py(Math.min(Math.max(t.amplitude_uA_per_cm2, 0), yTop)) });
  for (const t of d.trials) {
    const p = onPlot(t);
    out.push(
      `<circle class="trial ${t.fired ? "fired" : "not-fired"}" cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="5" fill="${t.fired ? FIRED : "#fff"}" stroke="${t.fired ? FIRED : NOT_FIRED}" stroke-width="2"><title>Δ ${t.interval_ms.toFixed(2)} ms, ${t.amplitude_uA_per_cm2.toFixed(2)} µA/cm²: ${t.fired ? "fired" : "no spike"}</title></circle>`,
    );
    boxes.push(dotBox(p.x, p.y, 6));
  }
  if (d.current) {
    const p = onPlot(d.current);
    out.push(
      `<circle class="current" cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="9" fill="none" stroke="#1b1f24" stroke-width="1.5"/>`,
    );
    boxes.push(dotBox(p.x, p.y, 10));
  }
  const right = [-10, 10, -24, 24].map((dy) => ({ dx: 0, dy, align: "end" as const }));
  const left = [-10, 10, -24, 24].map((dy) => ({ dx: frame.x0 - frame.x1 + 8, dy, align: "start" as const }));
  const wants: Want[] = [];
  if (a !== null)
    wants.push({
      text: `absolute ${a.toFixed(2)} ms`,
      x: px(a),
      y: frame.y0 + 40,
      candidates: [0, 18, 36, 54, 72, 90, 108, 126, 144, 162, 180].flatMap((dy) => [
        { dx: -4, dy, align: "end" as const },
        { dx: 4, dy, align: "start" as const },
      ]),
      color: MARK_COLORS.absoluteText,
      bold: true,
    });
  wants.push(
    {
      text: r === null ? "relative: beyond the scan" : `relative until ${r.toFixed(1)} ms`,
      x: relTo,
      y: frame.y0,
      // anywhere in the band's rows, from the top down: ending at the band's end, centred on it, starting at its start
      candidates: [...Array.from({ length: Math.floor(h / 16) - 2 }, (_, k) => 30 + k * 16), 14].flatMap((dy) => [
        { dx: -4, dy, align: "end" as const },
        { dx: (relFrom - relTo) / 2, dy, align: "middle" as const },
        { dx: relFrom - relTo + 4, dy, align: "start" as const },
      ]),
      color: MARK_COLORS.relativeText,
      bold: true,
    },
    {
      text: `+${Math.round(d.recovery_fraction * 100)} % criterion ${crit.toFixed(3)}`,
      x: frame.x1 - 4,
      y: py(crit),
      candidates: [{ dx: 0, dy: -10, align: "end" }, ...right.slice(2), ...left],
      color: MARK_COLORS.relativeText,
    },
    {
      text: `single pulse ${base.toFixed(3)}`,
      x: frame.x1 - 4,
      y: py(base),
      candidates: [{ dx: 0, dy: 10, align: "end" }, ...right, ...left],
      color: "#1b1f24",
    },
    {
      text: `cap ${d.cap_factor}× = ${d.cap_uA_per_cm2.toFixed(2)}`,
      x: frame.x1 - 4,
      y: py(d.cap_uA_per_cm2),
      candidates: [...right, ...left],
      color: "#a32020",
    },
  );
  const lines: Polyline[] = [
    curve,
    { x: [frame.x0, frame.x1], y: [py(base), py(base)] },
    { x: [frame.x0, frame.x1], y: [py(crit), py(crit)] },
    { x: [frame.x0, frame.x1], y: [py(d.cap_uA_per_cm2), py(d.cap_uA_per_cm2)] },
  ];
  const placed = labels(wants, frame, lines, boxes);
  out.push(...placed.svg, `</svg>`);
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  return {
    svg: out.join("\n"),
    labels: placed.placed,
    frame,
    toSetting: (x, y) => ({
      interval_ms: clamp(Math.exp(lx0 + ((x - m.left) / w) * (lx1 - lx0)), 0.1, d1),
      amplitude_uA_per_cm2: clamp(((frame.y1 - y) / h) * yTop, 0, d.cap_uA_per_cm2),
    }),
  };
}

import * as Plot from "@observablehq/plot";
import type { RefractoryResult } from "../experiments/refractory.js";
import { describePeriod } from "../experiments/refractory.js";
import { compose, FONT, type Placed, svgEl, textBlock } from "./compose.js";
import { fmt } from "./format.js";
import { dotBox, type Polyline } from "./labels.js";
import { BAND_OPACITY, MARK_COLORS } from "./palette.js";
import { drawLabels, type LabelSpec, pixels, scalesOf } from "./placeText.js";

const style = { fontFamily: FONT, fontSize: "12px", background: "white" };

/** The refractory figure: second-pulse threshold against the interval after the first spike, both periods marked. */
export function refractoryFigure(doc: Document, r: RefractoryResult, title: string): string {
  const W = 1000;
  const PW = 700;
  const base = r.single_pulse_threshold_uA_per_cm2;
  const [d0, d1] = r.scanned_range_ms;
  const x0 = d0 * 0.8;
  const x1 = d1 * 1.1;
  const yTop = r.cap_uA_per_cm2 * 1.12;
  const measured = r.intervals_ms.flatMap((d, i) =>
    r.thresholds_uA_per_cm2[i] === null ? [] : [{ d, thr: r.thresholds_uA_per_cm2[i] as number }],
  );
  const none = r.intervals_ms.flatMap((d, i) => (r.thresholds_uA_per_cm2[i] === null ? [{ d, thr: r.cap_uA_per_cm2 }] : []));
  const abs = r.absolute_refractory_ms;
  const rel = r.relative_refractory_ms;
  const marks: Plot.Markish[] = [];
  if (abs !== null) {
    marks.push(
      Plot.rect([{ x1: x0, x2: abs, y1: 0, y2: yTop }], {
        x1: "x1",
        x2: "x2",
        y1: "y1",
        y2: "y2",
        fill: MARK_COLORS.absolute,
        fillOpacity: BAND_OPACITY.absolute,
      }),
    );
  }
  const relStart = abs ?? x0;
  const relEnd = rel ?? x1;
  marks.push(
    Plot.rect([{ x1: relStart, x2: relEnd, y1: 0, y2: yTop }], {
      x1: "x1",
      x2: "x2",
      y1: "y1",
      y2: "y2",
      fill: MARK_COLORS.relative,
      fillOpacity: BAND_OPACITY.relative,
    }),
  );
  marks.push(
    Plot.ruleY([base], { stroke: "#333", strokeDasharray: "5,4" }),
    Plot.ruleY([base * (1 + r.recovery_fraction)], { stroke: "#8a5300", strokeDasharray: "2,3" }),
    Plot.ruleY([r.cap_uA_per_cm2], { stroke: "#a32020", strokeOpacity: 0.6 }),
    Plot.line(measured, { x: "d", y: "thr", stroke: "black", strokeWidth: 1.6 }),
    Plot.dot(measured, { x: "d", y: "thr", r: 3, fill: "black" }),
    Plot.dot(none, { x: "d", y: "thr", r: 4.5, symbol: "times", stroke: "#a32020", strokeWidth: 2 }),
  );
  const plot = Plot.plot({
    document: doc,
    width: PW,
    height: 420,
    marginLeft: 70,
    marginRight: 30,
    marginTop: 22,
    marginBottom: 40,
    style,
    x: { type: "log", domain: [x0, x1], label: "interval Δ from the first spike to the second pulse (ms, log scale)", grid: true },
    y: { domain: [0, yTop], label: "second-pulse threshold (µA/cm²)", grid: true },
    marks,
  });
  const { px, py, frame } = scalesOf(plot);
  const curve = pixels(
    measured.map((m) => m.d),
    measured.map((m) => m.thr),
    px,
    py,
  );
  const boxes = [...measured, ...none].map((m) => dotBox(px(m.d), py(m.thr), 6));
  const level = (v: number): Polyline => ({ x: [frame.x0, frame.x1], y: [py(v), py(v)] });
  const rightSlots = [-11, 11, 18, -25, 25].map((dy) => ({ dx: 0, dy, align: "end" as const }));
  const labels: LabelSpec[] = [
    {
      id: "relative",
      text: `relative refractory: ${rel !== null ? `until ${fmt.ms(rel)}` : describePeriod(rel, r.relative_status, r.scanned_range_ms)}`,
      x: px(Math.sqrt(relStart * relEnd)),
      y: py(yTop * 0.75),
      candidates: [0, -30, 30, -60, 60, 90].flatMap((dy) => [
        { dx: 0, dy, align: "middle" as const },
        { dx: 60, dy, align: "middle" as const },
        { dx: 120, dy, align: "middle" as const },
      ]),
      fill: MARK_COLORS.relativeText,
      bold: true,
    },
    {
      id: "cap",
      text: `cap ${r.cap_factor}× = ${fmt.current(r.cap_uA_per_cm2)}`,
      x: frame.x1 - 2,
      y: py(r.cap_uA_per_cm2),
      candidates: rightSlots,
      fill: MARK_COLORS.absoluteText,
    },
    {
      id: "single",
      text: `single pulse from rest ${fmt.current(base)}`,
      x: frame.x1 - 2,
      y: py(base),
      candidates: [...rightSlots.slice(1), ...rightSlots.map((c) => ({ ...c, dx: -60 }))],
      fill: "#1b1f24",
    },
    {
      id: "recovery",
      text: `+${Math.round(r.recovery_fraction * 100)} %`,
      x: frame.x1 - 2,
      y: py(base * (1 + r.recovery_fraction)),
      candidates: rightSlots.map((c) => ({ ...c, dx: -60 })),
      fill: MARK_COLORS.relativeText,
    },
  ];
  if (abs !== null)
    labels.push({
      id: "absolute",
      text: `absolute: ${fmt.ms(abs)}`,
      x: px(abs),
      y: py(yTop * 0.55),
      candidates: [0, 20, -20, 40, -40, 60].flatMap((dy) => [
        { dx: -6, dy, align: "end" as const },
        { dx: 6, dy, align: "start" as const },
      ]),
      fill: MARK_COLORS.absoluteText,
      bold: true,
    });
  drawLabels(doc, plot, labels, {
    bounds: frame,
    lines: [curve, level(base), level(base * (1 + r.recovery_fraction)), level(r.cap_uA_per_cm2)],
    boxes,
  });
  const items: Placed[] = [
    { el: svgEl(doc, "text", { "font-size": 17, "font-weight": "bold" }, title), x: 10, y: 24 },
    { el: plot, x: 0, y: 40 },
    {
      el: textBlock(
        doc,
        [
          ["protocol", ""],
          `pulse 1: ${fmt.current(r.conditioning_amplitude_uA_per_cm2)} for ${r.pulse_ms} ms`,
          `   at ${r.first_pulse_start_ms} ms → spike at ${fmt.ms(r.first_spike_ms)}`,
          `pulse 2: ${r.pulse_ms} ms, Δ after that spike;`,
          "   its threshold by bisection",
          `   (tolerance ${r.tolerance_uA_per_cm2} µA/cm²)`,
          `start at rest, ${fmt.mV(r.initial_mV)}`,
          `a pulse fires: a spike within ${r.observe_ms} ms`,
          "",
          ["absolute refractory", ""],
          `   ${describePeriod(abs, r.absolute_status, r.scanned_range_ms)}:`,
          `   no spike even at ${r.cap_factor}× threshold (×)`,
          ["relative refractory", ""],
          `   ${describePeriod(rel, r.relative_status, r.scanned_range_ms)}:`,
          `   threshold above +${Math.round(r.recovery_fraction * 100)} % of the`,
          "   single-pulse threshold",
        ],
        12.5,
        19,
      ),
      x: PW + 10,
      y: 50,
    },
  ];
  return compose(doc, W, 480, items, title);
}

/**
 * What a link (the page's query string) asked for that could not be used, in plain words, each with the
 * control it belongs to: a value that is not a number (the default is shown instead), a model that is not
 * built in (a model loaded from a file is not stored in links). Pure: the page marks the controls.
 */
import { blockKey, fractionOf } from "./blockState.js";
import { BLOCKERS, builtinModels } from "./lib.js";
import { MAX_TRIED, POINTS_KEY, pointsFromParam } from "./pairedPoints.js";
import { defaultState, FI_NUMBERS, MAP_NUMBERS, NUMBERS, PP_NUMBERS } from "./state.js";

export interface UrlProblem {
  /** The query key, e.g. "amp" or "p.gNa". */
  readonly key: string;
  /** The id of the control to mark (the page's element id). */
  readonly controlId: string;
  /** One sentence for the student. */
  readonly message: string;
}

const WORDS: Record<string, string> = {
  amplitude: "the amplitude",
  start: "the step start",
  stop: "the step stop",
  duration: "the duration",
  dt: "the time step dt",
};

const notANumber = (v: string | null) => v !== null && v.trim() !== "" && !Number.isFinite(Number(v));
const quoted = (v: string) => `"${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;

/** The link's values that the page could not use, in the order of the controls. */
export function urlProblems(query: string): UrlProblem[] {
  const q = new URLSearchParams(query);
  const d = defaultState();
  const out: UrlProblem[] = [];
  const model = q.get("model");
  if (model !== null && !(model in builtinModels))
    out.push({
      key: "model",
      controlId: "ctl-model-file",
      message: `This link names the model ${quoted(model)}, which is not built in: a model loaded from a file is not stored in links. Load the file again here; the lab model is shown meanwhile.`,
    });
  for (const [key, field] of Object.entries(NUMBERS)) {
    const v = q.get(key);
    if (notANumber(v))
      out.push({
        key,
        controlId: `ctl-${field}`,
        message: `The link gave ${quoted(v as string)} for ${WORDS[field] ?? field}, which is not a number; the default ${d[field]} is used.`,
      });
  }
  for (const [key, v] of q)
    if (key.startsWith("p.") && notANumber(v))
      out.push({
        key,
        controlId: `ctl-param-${key.slice(2)}`,
        message: `The link gave ${quoted(v)} for the parameter ${key.slice(2)}, which is not a number; the model's default is used.`,
      });
  for (const b of BLOCKERS) {
    const on = q.get(blockKey(b));
    if (on !== null && on !== "0" && on !== "1")
      out.push({
        key: blockKey(b),
        controlId: `ctl-block-${blockKey(b)}`,
        message: `The link gave ${quoted(on)} for the ${b} switch, which must be 1 (on) or 0 (off); ${b} is off.`,
      });
    const f = q.get(`${blockKey(b)}.f`);
    if (f !== null && fractionOf(f) === null)
      out.push({
        key: `${blockKey(b)}.f`,
        controlId: `ctl-block-${blockKey(b)}-f`,
        message: `The link gave ${quoted(f)} for the ${b} block fraction, which must be a number from 0 to 1; a full block (1) is used.`,
      });
  }
  for (const [key, field] of Object.entries(FI_NUMBERS)) {
    const v = q.get(key);
    if (notANumber(v))
      out.push({
        key,
        controlId: `fi-${field}`,
        message: `The link gave ${quoted(v as string)} for the f–I setting ${key}, which is not a number; the default ${d.fi[field]} is used.`,
      });
  }
  for (const [key, field] of Object.entries(MAP_NUMBERS)) {
    const v = q.get(key);
    if (notANumber(v))
      out.push({
        key,
        controlId: `map-${field}`,
        message: `The link gave ${quoted(v as string)} for the map setting ${key}, which is not a number; the default ${d.map[field]} is used.`,
      });
  }
  for (const [key, field] of Object.entries(PP_NUMBERS)) {
    const v = q.get(key);
    if (notANumber(v))
      out.push({
        key,
        controlId: `pp-${field}`,
        message: `The link gave ${quoted(v as string)} for the paired-pulse setting ${key}, which is not a number; the default ${d.pp[field]} is used.`,
      });
  }
  const points = pointsFromParam(q.get(POINTS_KEY));
  if (points.bad.length)
    out.push({
      key: POINTS_KEY,
      controlId: "pp-clear",
      message: `The link gave ${points.bad.length === 1 ? "an entry" : `${points.bad.length} entries`} for the tried paired-pulse points that ${points.bad.length === 1 ? "is" : "are"} not Δ,amplitude,y|n with Δ > 0 ms and amplitude ≥ 0 µA/cm² (${quoted(points.bad[0] as string)}); ${points.points.length === 0 ? "no point is" : points.points.length === 1 ? "the other point is" : `the other ${points.points.length} points are`} shown.`,
    });
  if (points.dropped)
    out.push({
      key: POINTS_KEY,
      controlId: "pp-clear",
      message: `The link gave ${points.points.length + points.dropped} tried paired-pulse points; the last ${MAX_TRIED} are shown (at most ${MAX_TRIED} are kept).`,
    });
  return out;
}

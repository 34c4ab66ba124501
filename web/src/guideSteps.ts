/**
 * The guided lab: the lab's two experiments (one neuron under a 3 µA/cm² step; the f–I curve and the integrator's
 * part in it) as a short path of steps. Each step sets the app's state (a query string of ./state.ts), says what to
 * do, what to look for, and asks one question. A teacher links to a step with `?guide=N` (N from 1).
 */

export interface GuideStep {
  title: string;
  /** The app's state for this step, as a query string (./state.ts keys). */
  query: string;
  /** What to do. */
  todo: string;
  /** What to look for. */
  look: string;
  /** One question to answer. */
  question: string;
}

const EXPERIMENT_1 = "view=lab&model=lab&method=euler&dt=0.025&amp=3&start=10&stop=20&dur=50";
const EXPERIMENT_2 = "view=fi&model=lab&method=euler&dt=0.025&fi.from=0&fi.to=10&fi.n=51&fi.start=50&fi.stop=200&fi.dur=200";

export const GUIDE: readonly GuideStep[] = [
  {
    title: "Experiment 1: one neuron, one current step",
    query: EXPERIMENT_1,
    todo: "The lab model (Hodgkin–Huxley kinetics) gets a 3 µA/cm² current step from 10 to 20 ms; forward Euler with dt = 0.025 ms integrates it for 50 ms. Read the voltage plot and the measurements below it.",
    look: "The membrane sits at rest, rises slowly when the step begins, then shoots up to an action potential: the threshold line marks where the upswing takes off, the labels give its peak, amplitude and half-width.",
    question:
      "The count says 2 spikes, but the current is off after 20 ms. When does the second spike come, and what in the gate plot (h and n at 20 ms) could explain it?",
  },
  {
    title: "Threshold: all or nothing",
    query: EXPERIMENT_1.replace("amp=3", "amp=0.1"),
    todo: "The step is now 0.1 µA/cm². Move the Amplitude slider up one notch (0.1 µA/cm²) at a time, or type values, and watch the spike count and the trace.",
    look: "At small amplitudes the voltage only bulges and sinks back; a little higher a full action potential appears, with about the same peak as at 3 µA/cm².",
    question:
      "Between which two amplitudes does the first spike appear? Near that threshold, does the spike come early or late — even after the step has ended?",
  },
  {
    title: "Gates, currents and the refractory period",
    query: `${EXPERIMENT_1}&currents=1`,
    todo: "Look at the gating variables and the ionic currents (shown now) during the first action potential, then at the refractory bands drawn after it.",
    look: "m opens within a fraction of a millisecond (I_Na inward), h closes and n opens more slowly (I_K outward) and both stay changed for several milliseconds after the peak: the absolute refractory period, then the relative one.",
    question: "Which gate is the slowest to return to rest, and why does that make a second spike harder right after the first?",
  },
  {
    title: "The refractory period, by hand",
    query: "view=paired&model=lab&method=euler&dt=0.025&pp.d=5&pp.a=5",
    todo: "A first 1 ms pulse makes the neuron fire; a second pulse follows Δ ms after that spike. Drag the second pulse's handle (or type Δ and its amplitude) and try several pairs.",
    look: "Every try stays on the recovery plot: filled when the second pulse fired, open when it did not. Close to the first spike no amplitude is enough (the absolute refractory period); later a stronger pulse than usual is needed (the relative one).",
    question:
      "Find a Δ at which 5 µA/cm² does not fire but a stronger pulse does. Which period is that Δ in, and which gate from step 3 explains it?",
  },
  {
    title: "Experiment 2: the f–I curve",
    query: EXPERIMENT_2,
    todo: "The same neuron gets 51 steps from 0 to 10 µA/cm², each on [50, 200) ms of a 200 ms run; the sweep counts the spikes of each run (upward crossings of 0 mV).",
    look: "No spikes without current; already several spikes at the first amplitudes above the rheobase (marked); then a slow, staircase-like rise with the amplitude.",
    question:
      "Sweep 0 to 0.2 µA/cm² in 21 steps: does the firing rate start from zero at the rheobase or jump to a finite value, and does that match the excitability class the Dynamics view names?",
  },
  {
    title: "Forward Euler against an accurate solver",
    query: `${EXPERIMENT_2}&fi.ov=method&fi.ov.method=rk45`,
    todo: "The dashed curve is the same sweep computed with rk45, an adaptive solver accurate to far below the plotted scale. Compare the two curves and the table of values.",
    look: "At many amplitudes the two curves differ by one spike: forward Euler at dt = 0.025 ms is not converged, although each of its traces looks right.",
    question:
      "Which method counts more spikes? Set dt to 0.0125 ms and run the sweep again: does the Euler curve move towards the accurate one?",
  },
  {
    title: "Your turn: compare a change",
    query: EXPERIMENT_1,
    todo: "Pin this trace (Compare, below the plots). Then change one thing — gNa to 40 mS/cm², or the amplitude to 5 µA/cm² — and pin again.",
    look: "The Compare plot overlays the pinned traces with the current one; its legend names what differs from the lab's defaults.",
    question: "Predict first, then check: does lowering gNa delay the spike, lower its peak, or stop it?",
  },
];

/** The step number (1-based) a query asks for with guide=N, or null. */
export function guideStepOf(query: string): number | null {
  const g = new URLSearchParams(query).get("guide");
  const n = g === null ? Number.NaN : Number(g);
  return Number.isInteger(n) && n >= 1 && n <= GUIDE.length ? n : null;
}

/**
 * The query the app starts from: a bare guide link (`?guide=N`, no view) becomes step N's state with guide=N;
 * any other query (a shared link of a state reached within the guide included) is kept as it is.
 */
export function guideQuery(query: string): string {
  const n = guideStepOf(query);
  const q = new URLSearchParams(query);
  if (n === null || q.has("view")) return query;
  return `${(GUIDE[n - 1] as GuideStep).query}&guide=${n}`;
}

/** `&guide=N` of the current query, to keep in the URL the app writes (empty outside the guide). */
export const guideSuffix = (query: string): string => {
  const n = guideStepOf(query);
  return n === null ? "" : `&guide=${n}`;
};

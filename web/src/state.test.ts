import { describe, expect, it } from "vitest";
import { simulate } from "../../src/index.js";
import { MAX_TRIED } from "./pairedPoints.js";
import { defaultState, fromQuery, MAX_SAMPLES, runSpec, toQuery } from "./state.js";

describe("the browser lab's state", () => {
  it("round-trips through the query string, numbers bit for bit", () => {
    const s = defaultState();
    Object.assign(s, { view: "fi", model: "hh1952", amplitude: 0.1 + 0.2, start: 5, dt: 0.01, method: "euler", currents: true });
    s.params = { celsius: 16.3, gNa: 1 / 3 };
    Object.assign(s.fi, { from: -1, to: 20, count: 21, overlay: "dt", overlayDt: 0.005 });
    Object.assign(s.map, { x: "gK", xFrom: 0.1 + 0.2, xCount: 7, y: "amplitude", yTo: 1 / 3, backend: "cpu" });
    Object.assign(s.pp, { interval: 0.1 + 0.2, amplitude: 1 / 3, window: 200 });
    expect(fromQuery(toQuery(s))).toEqual(s);
    expect(fromQuery(toQuery({ ...s, view: "paired" })).view).toBe("paired");
  });

  it("keeps the paired-pulse view's tried points in the URL, readable and exact, in the order tried", () => {
    const s = defaultState();
    s.view = "paired";
    s.pp.tried = [
      { interval_ms: 0.1 + 0.2, amplitude_uA_per_cm2: 1 / 3, fired: true },
      { interval_ms: 6, amplitude_uA_per_cm2: 15, fired: false },
      { interval_ms: 2.5, amplitude_uA_per_cm2: 0, fired: false },
    ];
    const q = toQuery(s);
    expect(q).toMatch(/&pp\.pts=0\.30000000000000004,0\.3333333333333333,y_6,15,n_2\.5,0,n$/);
    expect(fromQuery(q)).toEqual(s);
    expect(new URLSearchParams(q).get("pp.pts")).toBe("0.30000000000000004,0.3333333333333333,y_6,15,n_2.5,0,n");
    expect(toQuery(defaultState())).not.toContain("pp.pts");
  });

  it("keeps at most MAX_TRIED tried points: the last ones", () => {
    const s = defaultState();
    s.pp.tried = Array.from({ length: MAX_TRIED + 50 }, (_, i) => ({ interval_ms: i + 1, amplitude_uA_per_cm2: 5, fired: i % 2 === 0 }));
    const back = fromQuery(toQuery(s)).pp.tried;
    expect(back).toEqual(s.pp.tried.slice(50));
    expect(toQuery(s).length).toBeLessThan(3000);
  });

  it("an empty query gives the lab's defaults", () => {
    expect(fromQuery("")).toEqual(defaultState());
  });

  it("a value that is not a number takes its default and the rest of the link loads; an unknown model or view is ignored", () => {
    const s = fromQuery("dt=abc&amp=7&p.gNa=abc&p.gK=12&model=squid&view=table");
    expect(s.dt).toBe(defaultState().dt);
    expect(s.amplitude).toBe(7);
    expect(s.params).toEqual({ gK: 12 });
    expect(s.model).toBe("lab");
    expect(s.view).toBe("lab");
  });

  it("the default live run is the lab's experiment 1 with every variable recorded", () => {
    const r = simulate(runSpec(defaultState()));
    expect(r.spikes.count[0]).toBe(2);
    expect(Object.keys(r.traces)).toEqual(["V", "m", "h", "n", "I_Na", "I_K", "I_L", "I_inj"]);
    expect(r.t_ms.length).toBe(2001);
  });

  it("a long run is recorded every k-th step so a trace keeps at most MAX_SAMPLES + 1 samples", () => {
    const s = { ...defaultState(), duration: 1000, dt: 0.01 };
    const r = simulate({ ...runSpec(s), record: { ...runSpec(s).record, variables: ["V"] } });
    expect(r.t_ms.length).toBeLessThanOrEqual(MAX_SAMPLES + 1);
    expect(r.t_ms[r.t_ms.length - 1]).toBeCloseTo(1000, 9);
  });
});

import { describe, expect, it } from "vitest";
import { MAX_TRIED } from "./pairedPoints.js";
import { fromQuery } from "./state.js";
import { urlProblems } from "./urlProblems.js";

describe("a link's values that cannot be used", () => {
  it("names each value that is not a number, its control and the default used, in plain words", () => {
    const p = urlProblems("amp=abc&p.gNa=abc&dt=0.01&fi.n=x&pp.d=soon");
    expect(p.map((x) => [x.key, x.controlId])).toEqual([
      ["amp", "ctl-amplitude"],
      ["p.gNa", "ctl-param-gNa"],
      ["fi.n", "fi-count"],
      ["pp.d", "pp-interval"],
    ]);
    expect(p[0]?.message).toBe('The link gave "abc" for the amplitude, which is not a number; the default 3 is used.');
    for (const x of p) expect(x.message).not.toMatch(/[{}]/);
  });
  it("says that a model loaded from a file is not stored in links", () => {
    const [p] = urlProblems("model=my-cell");
    expect(p?.controlId).toBe("ctl-model-file");
    expect(p?.message).toContain("a model loaded from a file is not stored in links");
  });
  it("says which tried paired-pulse points a link gave could not be used, and that a long list keeps the last MAX_TRIED", () => {
    const [bad] = urlProblems("view=paired&pp.pts=5,5,y_abc_6,-1,n_7,8,n");
    expect(bad?.key).toBe("pp.pts");
    expect(bad?.controlId).toBe("pp-clear");
    expect(bad?.message).toBe(
      'The link gave 2 entries for the tried paired-pulse points that are not Δ,amplitude,y|n with Δ > 0 ms and amplitude ≥ 0 µA/cm² ("abc"); the other 2 points are shown.',
    );
    expect(fromQuery("pp.pts=5,5,y_abc_6,-1,n_7,8,n").pp.tried).toEqual([
      { interval_ms: 5, amplitude_uA_per_cm2: 5, fired: true },
      { interval_ms: 7, amplitude_uA_per_cm2: 8, fired: false },
    ]);
    const many = Array.from({ length: MAX_TRIED + 1 }, (_, i) => `${i + 1},5,n`).join("_");
    expect(urlProblems(`pp.pts=${many}`).map((p) => p.message)).toEqual([
      `The link gave ${MAX_TRIED + 1} tried paired-pulse points; the last ${MAX_TRIED} are shown (at most ${MAX_TRIED} are kept).`,
    ]);
  });
  it("finds nothing wrong in a link the page wrote", () => {
    expect(urlProblems("view=lab&model=hh1952&amp=10&p.gNa=100&dt=0.01")).toEqual([]);
    expect(urlProblems("view=paired&pp.pts=5,5.1,y_6,15,n")).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
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
  it("finds nothing wrong in a link the page wrote", () => {
    expect(urlProblems("view=lab&model=hh1952&amp=10&p.gNa=100&dt=0.01")).toEqual([]);
  });
});

import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import module from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { labReference } from "./helpers/reference.js";

// The built CLI, as users run it (npm test builds it first).
const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const spikelab = (...args: string[]) => execFileSync(process.execPath, [bin, ...args], { encoding: "utf8" });
const fails = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8" });

describe("the spikelab CLI", () => {
  it("`spikelab fi --json` gives the lab's 51 spike counts", () => {
    const out = JSON.parse(spikelab("fi", "--json"));
    expect(out.spike_counts).toEqual(labReference().experiment_2_fi.spike_counts);
    expect(out.amplitudes_uA_per_cm2).toHaveLength(51);
    expect(out.rates_Hz).toHaveLength(51);
  });

  it("`spikelab fi --fast-math --json` marks its output and still gives the lab's 51 counts", () => {
    const out = JSON.parse(spikelab("fi", "--fast-math", "--json"));
    expect(out.fast_math).toBe(true);
    expect(out.spike_counts).toEqual(labReference().experiment_2_fi.spike_counts);
    expect(JSON.parse(spikelab("fi", "--json")).fast_math).toBeUndefined();
  });

  it.skipIf("enableCompileCache" in module)("on Node 20, `fi` runs from V8's code caches that the build wrote beside the chunks", () => {
    const r = spawnSync(process.execPath, [bin, "fi", "--json"], {
      encoding: "utf8",
      env: { ...process.env, SPIKELAB_CODE_CACHE: "report" },
    });
    expect(r.status).toBe(0);
    const uses = r.stderr.trim().split("\n");
    // the CLI's entry, commander and the f–I path's chunk (scripts/bundle-cli.mjs), each accepted by V8
    expect(uses).toHaveLength(3);
    for (const line of uses) expect(line).toMatch(/^code cache bundle-(main|commander|core)-[\w-]+\.js: accepted$/);
    expect(JSON.parse(r.stdout).spike_counts).toEqual(labReference().experiment_2_fi.spike_counts);
  });

  it("a closed pipe ends `fi` and `run` quietly with status 0 (`| head -c 20`)", () => {
    // 10,001 amplitudes: ≈ 1 MB of JSON, far more than a pipe holds, so the writer meets the closed pipe
    for (const args of [
      ["fi", "--json", "--steps", "10001", "--duration-ms", "60", "--start-ms", "10", "--stop-ms", "60"],
      ["run", "--json"],
    ]) {
      // pipefail: the pipeline's status is the CLI's (head's is 0)
      const r = spawnSync(
        "bash",
        ["-c", `set -o pipefail; "${process.execPath}" "${bin}" ${args.join(" ")} | head -c 20; echo " status $?"`],
        {
          encoding: "utf8",
        },
      );
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe('{"model":"lab","meth status 0\n');
    }
  });

  it("`spikelab run --json` prints the lab's experiment 1 with unit-named keys", () => {
    const out = JSON.parse(spikelab("run", "--json"));
    expect(out.t_ms).toHaveLength(2001);
    for (const key of ["V_mV", "m", "h", "n"]) expect(out[key]).toHaveLength(2001);
    expect(out.spike_count).toBe(2);
    expect(out.spike_times_ms).toHaveLength(2);
  });

  it("`--param` overrides a model parameter", () => {
    const base = JSON.parse(spikelab("run", "--json")).spike_times_ms[0];
    const more = JSON.parse(spikelab("run", "--json", "--param", "gNa=70")).spike_times_ms[0];
    expect(more).toBeLessThan(base);
  });

  it("`spikelab fi --method rk45 --json` gives the converged lab f–I fixture (counts and rates)", () => {
    const fixture = JSON.parse(readFileSync(new URL("./fixtures/lab-fi-converged.json", import.meta.url), "utf8"));
    const out = JSON.parse(spikelab("fi", "--method", "rk45", "--json"));
    expect(out).toMatchObject({ method: "rk45", rtol: 1e-6, atol: 1e-8 });
    expect(out.spike_counts).toEqual(fixture.spike_counts);
    expect(out.rates_Hz).toEqual(fixture.rates_Hz);
  });

  it("`spikelab fi --check-dt` warns on stderr and lists the unconverged amplitudes in --json", () => {
    const r = spawnSync(process.execPath, [bin, "fi", "--check-dt", "--json", "--from", "4", "--to", "6", "--steps", "3"], {
      encoding: "utf8",
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("spikelab: warning: not converged (euler): at dt 0.0125 ms the spikes of 3 of 3 run(s) change");
    expect(JSON.parse(r.stdout).convergence).toMatchObject({ converged: false, not_converged_amplitudes_uA_per_cm2: [4, 5, 6] });
  });

  it("`spikelab run --method rk45 --check-dt --json` reports step statistics and convergence, and warns of nothing", () => {
    const r = spawnSync(process.execPath, [bin, "run", "--method", "rk45", "--check-dt", "--json"], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    const out = JSON.parse(r.stdout);
    expect(out.t_ms).toHaveLength(2001); // traces sampled every dt by dense output
    expect(out.stats.accepted_steps).toBeGreaterThan(0);
    expect(out.stats.rejected_steps).toBeGreaterThanOrEqual(0);
    expect(out.convergence.converged).toBe(true);
  });

  it("a diverging run exits 2 with the divergence message and prints no numbers", () => {
    const r = fails("run", "--dt-ms", "0.2", "--json");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("spikelab: simulation diverged at t = 11.6 ms in neuron 0: m =");
  });

  it.each([
    [["run", "--rtol", "0"], '--rtol must be a positive number; got "0"'],
    [["run", "--method", "rk45", "--rtol", "1e-15"], "rtol must be in [1e-13, 1); got 1e-15"],
    [["run", "--dt-ms", "abc"], '--dt-ms must be a positive number (ms); got "abc"'],
    [["run", "--dt-ms", "-0.025"], '--dt-ms must be a positive number (ms); got "-0.025"'],
    [["run", "--model", "hh"], "--model must be a built-in model (lab, hh1952, passive, traub-miles"],
    [["run", "--method", "rk5"], "method must be one of"],
    [["run", "--param", "gXx=3"], 'parameter name for model "lab" must be one of'],
    [["run", "--param", "gNa=-1"], "parameter gNa (mS/cm2) must be a finite number in [0, 100000]; got -1"],
    [["fi", "--steps", "0"], '--steps must be a whole number ≥ 1; got "0"'],
  ])("`spikelab %s` exits 2 with one line and no stack trace", (args, message) => {
    const r = fails(...(args as string[]));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

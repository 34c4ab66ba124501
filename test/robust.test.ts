import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  DivergenceError,
  InvalidArgumentError,
  jsonSchema,
  parseSimulationSpec,
  ResourceLimitError,
  type SimulationSpecInput,
  simulate,
  type TraceSink,
} from "../src/index.js";
import { runToCsv } from "../src/io/export.js";
import { CsvTraceSink } from "../src/node.js";

const bin = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
const tmp = () => mkdtempSync(join(tmpdir(), "spikelab-robust-"));
const lab: SimulationSpecInput = {
  model: "lab",
  stimulus: { amplitude_uA_per_cm2: 3, start_ms: 10, stop_ms: 20 },
  duration_ms: 50,
  dt_ms: 0.025,
};
const all = ["V", "m", "h", "n", "I_Na", "I_K", "I_L", "I_inj"];

/** A sink that keeps copies of every chunk, to compare with a run kept in memory. */
function collect(): TraceSink & { t: number[]; v: Record<string, number[]>; chunks: number; closed: boolean } {
  const s = {
    t: [] as number[],
    v: {} as Record<string, number[]>,
    chunks: 0,
    closed: false,
    write(t: Float64Array, traces: Readonly<Record<string, Float64Array[]>>, count: number) {
      s.chunks++;
      s.t.push(...t.subarray(0, count));
      for (const [k, rows] of Object.entries(traces)) {
        s.v[k] ??= [];
        s.v[k].push(...(rows[0] as Float64Array).subarray(0, count));
      }
    },
    close() {
      s.closed = true;
    },
  };
  return s;
}

describe("the memory guard", () => {
  it("refuses a recording of billions of samples up front, with the numbers and the ways out, allocating nothing", () => {
    const before = process.memoryUsage().arrayBuffers;
    let error: unknown;
    try {
      // 10⁹ ms at dt 0.001 ms, every variable: 10¹² samples × (8 variables + time) × 8 B = 72 TB
      simulate({ ...lab, duration_ms: 1e9, dt_ms: 0.001, record: { variables: all } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ResourceLimitError);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    const message = (error as Error).message;
    expect(message).toMatch(/^record: 1000000000001 samples × 8 variables × 1 neuron need 65\.5 TiB of traces/);
    expect(message).toContain("more than memory_limit_MiB (1 GiB)");
    for (const way of ["--sample-ms", "--record V", "spikes only", "--csv FILE", "--memory-limit-mib"]) expect(message).toContain(way);
    expect(message).not.toContain("\n");
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(1 << 20);
  });

  it("the sample interval it suggests is the shortest that fits the limit", () => {
    const spec = { ...lab, record: { variables: all }, memory_limit_MiB: 0.05 }; // 51 KiB: 2001 × 9 × 8 B = 141 KiB do not fit
    const message = (() => {
      try {
        simulate(spec);
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })();
    const sample_ms = Number(/a sample interval of at least ([0-9.e-]+) ms/.exec(message)?.[1]);
    expect(sample_ms).toBe(0.075); // 3 steps: 667 samples × 9 × 8 B = 47 KiB of traces
    expect(simulate({ ...spec, record: { ...spec.record, sample_ms } }).samples).toBe(667);
    expect(() => simulate({ ...spec, record: { ...spec.record, sample_ms: 0.05 } })).toThrow(ResourceLimitError);
  });

  it("lets a run that is too big in memory stream to a sink (only a chunk is held)", () => {
    const spec = { ...lab, record: { variables: all }, memory_limit_MiB: 0.05 };
    expect(() => simulate(spec)).toThrow(ResourceLimitError);
    const r = simulate(spec, { sink: collect(), chunkSamples: 256 });
    expect(r.samples).toBe(2001);
    expect(r.memory).toMatchObject({ streamed: true, trace_bytes: 256 * 9 * 8 });
  });

  it("spikes only needs no trace memory at all", () => {
    const r = simulate({ ...lab, duration_ms: 1e4, record: { variables: [] }, memory_limit_MiB: 0.01 });
    expect(r.memory.trace_bytes).toBe(0);
    expect(r.samples).toBe(0);
  });
});

describe("streamed traces", () => {
  it.each(["euler", "rk45"])("%s: chunks of 7 samples give exactly the traces kept in memory", (method) => {
    const spec = { ...lab, method, record: { variables: all, sample_ms: 0.1 } };
    const kept = simulate(spec);
    const sink = collect();
    const streamed = simulate(spec, { sink, chunkSamples: 7 });
    expect(sink.t).toEqual(Array.from(kept.t_ms));
    for (const v of all) expect(sink.v[v]).toEqual(Array.from(kept.traces[v]![0]!));
    expect(sink.chunks).toBe(Math.ceil(501 / 7));
    expect(sink.closed).toBe(true);
    expect(streamed.t_ms).toHaveLength(0);
    expect(Array.from(streamed.spikes.t_ms)).toEqual(Array.from(kept.spikes.t_ms));
  });

  it("a CSV sink writes the same file as the run kept in memory", () => {
    const path = join(tmp(), "run.csv");
    const spec = { ...lab, record: { variables: all } };
    simulate(spec, { sink: new CsvTraceSink(path), chunkSamples: 100 });
    expect(readFileSync(path, "utf8")).toBe(runToCsv(simulate(spec)));
  });

  it("a diverging run leaves no file behind", () => {
    const dir = tmp();
    expect(() => simulate({ ...lab, dt_ms: 0.2 }, { sink: new CsvTraceSink(join(dir, "x.csv")) })).toThrow(DivergenceError);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("the simulation spec", () => {
  it.each([
    [{ ...lab, duraton_ms: 50 }, 'spec has no field "duraton_ms" (a misspelt name?)'],
    [{ ...lab, dt_ms: 100 }, "dt_ms must be ≤ duration_ms (50 ms); got 100"],
    [{ ...lab, dt_ms: Number.NaN }, "dt_ms must be a positive number of ms; got NaN"],
    [{ ...lab, duration_ms: Number.POSITIVE_INFINITY }, "duration_ms must be a positive number of ms; got Infinity"],
    [{ ...lab, method: "rk5" }, 'method must be one of euler, exp-euler, backward-euler, rk4, rk45; got "rk5"'],
    [
      { ...lab, model: "hh" },
      'model must be one of lab, hh1952, passive, traub-miles, wang-buzsaki, connor-stevens, morris-lecar, morris-lecar-snlc; got "hh"',
    ],
    [
      { ...lab, stimulus: { amplitude_uA_per_cm2: 3, start_ms: 60, stop_ms: 70 } },
      "stimulus.start_ms must be a time within the run [0, 50] ms; got 60",
    ],
    [
      { ...lab, stimulus: { amplitude_uA_per_cm2: 3, start_ms: -1, stop_ms: 70 } },
      "stimulus.start_ms must be a finite number of ms ≥ 0; got -1",
    ],
    [{ ...lab, record: { sample_ms: 60 } }, "record.sample_ms must be ≤ duration_ms (50 ms); got 60"],
    [{ ...lab, record: { neurons: [0.5] } }, "record.neurons.0 must be a whole number ≥ 0; got 0.5"],
    [{ ...lab, memory_limit_MiB: 0 }, "memory_limit_MiB must be a positive number of MiB; got 0"],
    [{ ...lab, dt_ms: undefined }, "dt_ms is required (a positive number of ms); got nothing"],
  ])("refuses %j: %s", (spec, message) => {
    expect(() => parseSimulationSpec(spec)).toThrow(new InvalidArgumentError(message));
  });

  it("a step may stay on past the end of the run", () => {
    expect(simulate({ ...lab, stimulus: { amplitude_uA_per_cm2: 3, start_ms: 10, stop_ms: 1e9 } }).spikes.count[0]).toBeGreaterThan(2);
  });

  it("its JSON Schema names the models and methods, the required fields, the bounds, and refuses unknown fields", () => {
    const s = jsonSchema("spec") as {
      properties: Record<string, { enum?: string[]; minimum?: number; anyOf?: { enum?: string[] }[] }>;
      required: string[];
      additionalProperties: boolean;
    };
    expect(s.required).toEqual(["duration_ms", "dt_ms"]);
    expect(s.additionalProperties).toBe(false);
    expect(s.properties.method!.enum).toContain("rk45");
    expect(s.properties.model!.anyOf![0]!.enum).toContain("hh1952");
    expect(s.properties.dt_ms!.minimum).toBe(1e-6);
  });
});

describe("`spikelab run --spec`", () => {
  it("reads a YAML spec, and flags given on the command line override its fields", () => {
    const dir = tmp();
    const file = join(dir, "exp.yaml");
    writeFileSync(
      file,
      "model: hh1952\nduration_ms: 30\ndt_ms: 0.01\nstimulus: { amplitude_uA_per_cm2: 10, start_ms: 5, stop_ms: 25 }\nrecord: { variables: [V] }\n",
    );
    const a = JSON.parse(cli("run", "--spec", file, "--json").stdout);
    expect(a).toMatchObject({ model: "hh1952", dt_ms: 0.01, duration_ms: 30, stimulus: { amplitude_uA_per_cm2: 10, start_ms: 5 } });
    expect(a.t_ms).toHaveLength(3001);
    expect(Object.keys(a)).not.toContain("m");
    const b = JSON.parse(cli("run", "--spec", file, "--json", "--dt-ms", "0.02", "--amplitude", "0").stdout);
    expect(b).toMatchObject({ dt_ms: 0.02, stimulus: { amplitude_uA_per_cm2: 0, start_ms: 5, stop_ms: 25 } });
    expect(b.spike_count).toBe(0);
  });

  it("refuses step flags on a spec whose stimulus is pulses, a misspelt field, and a file that is not JSON", () => {
    const dir = tmp();
    const pulses = join(dir, "p.json");
    writeFileSync(pulses, JSON.stringify({ duration_ms: 20, dt_ms: 0.025, stimulus: { type: "pulses", pulses: [] } }));
    expect(cli("run", "--spec", pulses, "--amplitude", "2").stderr).toBe(
      `spikelab: --amplitude set a step stimulus, but the stimulus of ${pulses} is pulses: edit the file instead\n`,
    );
    const typo = join(dir, "t.json");
    writeFileSync(typo, JSON.stringify({ duration_ms: 20, dt_ms: 0.025, recrod: {} }));
    expect(cli("run", "--spec", typo).stderr).toBe('spikelab: spec has no field "recrod" (a misspelt name?)\n');
    const bad = join(dir, "b.json");
    writeFileSync(bad, "{");
    const r = cli("run", "--spec", bad);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^spikelab: --spec .*b\.json is not valid JSON: .*\n$/);
  });

  it("`run --csv` streams: a run refused in memory completes to the file, equal to the in-memory CSV", () => {
    const dir = tmp();
    const args = ["run", "--duration-ms", "200", "--memory-limit-mib", "0.4"]; // 409 KiB: one chunk (288 KiB) fits
    const refused = cli(...args, "--json");
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("spikelab: record: 8001 samples × 8 variables × 1 neuron need 563 KiB of traces");
    const streamed = cli(...args, "--csv", join(dir, "s.csv"));
    expect(streamed.status).toBe(0);
    expect(streamed.stderr).toContain("(8001 rows, streamed)");
    expect(cli("run", "--duration-ms", "200", "--csv", join(dir, "m.csv"), "--json").status).toBe(0);
    expect(readFileSync(join(dir, "s.csv"), "utf8")).toBe(readFileSync(join(dir, "m.csv"), "utf8"));
    expect(readdirSync(dir).sort()).toEqual(["m.csv", "s.csv"]);
  });

  it("`spikelab schema` prints the JSON Schema of specs, sweeps and model files", () => {
    for (const kind of ["spec", "sweep", "model"]) {
      const s = JSON.parse(cli("schema", kind).stdout);
      expect(s.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
      expect(s.title).toContain(`spikelab`);
    }
    expect(JSON.parse(cli("schema").stdout).title).toContain("simulation spec");
    expect(existsSync(bin)).toBe(true);
  });
});

describe("rk45 near a breakpoint", () => {
  it("a step that starts 5e-14 ms before the end of the run does not underflow the step size (found by a property test)", () => {
    const r = simulate({
      model: "lab",
      method: "rk45",
      dt_ms: 0.025,
      duration_ms: 5,
      stimulus: { amplitude_uA_per_cm2: 0, start_ms: 4.99999999999995, stop_ms: 4.99999999999995 },
    });
    expect(r.t_ms).toHaveLength(201);
    expect(r.traces.V![0]!.every(Number.isFinite)).toBe(true);
  });
});

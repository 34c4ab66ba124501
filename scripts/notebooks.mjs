#!/usr/bin/env node
/**
 * `npm run notebooks`: executes the example notebooks (examples/*.ipynb) headless in Deno's Jupyter kernel, writes
 * their outputs into them (commit them: GitHub shows the figures), reports every cell's output, and fails when a
 * cell raises or a count differs from the reference in the repository:
 * - examples/lab3.ipynb: experiment 1 and the 51 Euler spike counts against test/fixtures/reference/lab-seed-euler.json
 *   (the lab notebook's own numbers), the rk4 counts against test/fixtures/lab-fi-converged.json;
 * - examples/trace-analysis.ipynb: the spike count of the recording against eFEL's (examples/data/efel-expected.json).
 * Needs dist/ (the npm script builds first), Deno (the `deno` devDependency) and Debian's Jupyter client
 * (`apt-get install -y --no-install-recommends python3-jupyter-client python3-nbformat`).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const at = (p) => join(root, p);
const NOTEBOOKS = ["examples/lab3.ipynb", "examples/trace-analysis.ipynb"];
const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

function need(ok, what) {
  if (ok) return;
  console.error(`notebooks: ${what}`);
  process.exit(1);
}
need(
  spawnSync(python, ["-c", "import jupyter_client, nbformat"], { stdio: "ignore" }).status === 0,
  "Jupyter's client is missing: apt-get update && apt-get install -y --no-install-recommends python3-jupyter-client python3-nbformat",
);
const deno = at("node_modules/.bin/deno");
need(existsSync(deno), "Deno is missing: npm ci installs it (devDependency `deno`)");
need(existsSync(at("dist/display/index.js")), "dist/ is missing: npm run build");
console.log(`notebooks: ${execFileSync(deno, ["--version"], { encoding: "utf8" }).split("\n")[0]}, Jupyter client from ${python}`);

// a kernelspec of this repository's Deno, in a folder of its own (JUPYTER_PATH), so nothing is installed for the user
const kernels = mkdtempSync(join(tmpdir(), "spikelab-kernels-"));
mkdirSync(join(kernels, "kernels", "deno"), { recursive: true });
writeFileSync(
  join(kernels, "kernels", "deno", "kernel.json"),
  JSON.stringify({ argv: [deno, "jupyter", "--kernel", "--conn", "{connection_file}"], display_name: "Deno", language: "typescript" }),
);
const t0 = performance.now();
const run = spawnSync(python, [at("scripts/execute-notebook.py"), kernels, ...NOTEBOOKS.map(at)], {
  stdio: "inherit",
  env: { ...process.env, NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1" },
});
rmSync(kernels, { recursive: true, force: true });
console.log(`notebooks: executed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// --- report and check the outputs ---
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g"); // colour codes, should a kernel still send them
const stripAnsi = (s) => s.replace(ANSI, "");
const text = (o) => stripAnsi([o.text ?? o.data?.["text/plain"] ?? ""].flat().join(""));
const numbers = (s) => (s.match(/-?\d+(\.\d+)?(e-?\d+)?/g) ?? []).map(Number);
const failures = [];
const check = (ok, what) => {
  if (!ok) failures.push(what);
  console.log(`  ${ok ? "ok  " : "FAIL"} ${what}`);
};
const json = (p) => JSON.parse(readFileSync(at(p), "utf8"));
const reference = json("test/fixtures/reference/lab-seed-euler.json");
const converged = json("test/fixtures/lab-fi-converged.json");
const efel = json("examples/data/efel-expected.json");
const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

for (const path of NOTEBOOKS) {
  const nb = json(path);
  console.log(`\n${path}`);
  const tagged = {};
  for (const cell of nb.cells.filter((c) => c.cell_type === "code")) {
    const tags = cell.metadata?.tags ?? [];
    for (const t of tags) tagged[t] = cell;
    const outs = cell.outputs ?? [];
    const kinds = outs.map((o) =>
      o.output_type === "stream" ? `stream:${o.name}` : o.output_type === "error" ? "ERROR" : Object.keys(o.data).join("+"),
    );
    const first = outs.map(text).join(" ").replace(/\s+/g, " ").trim().slice(0, 110);
    console.log(
      `  [${cell.execution_count ?? " "}] ${cell.id}${tags.length ? ` (${tags.join(", ")})` : ""}: ${kinds.join(", ") || "no output"}${first ? ` — ${first}` : ""}`,
    );
    if (cell.execution_count == null) failures.push(`${path}: cell ${cell.id} was not executed`);
    else if (outs.length === 0 && !tags.includes("no-output")) failures.push(`${path}: cell ${cell.id} has no output (a lost output?)`);
    for (const o of outs) if (o.output_type === "error") failures.push(`${path}: cell ${cell.id} raised ${o.ename}: ${o.evalue}`);
  }
  const out = (tag) => (tagged[tag]?.outputs ?? []).map(text).join("\n");
  if (path.endsWith("lab3.ipynb")) {
    const e1 = out("check-experiment-1");
    const [spikes, peak, tPeak, vEnd] = numbers(e1);
    const r1 = reference.experiment_1;
    check(
      spikes === r1.spike_count && Math.abs(peak - r1.V_peak_mV) < 1e-9 && tPeak === r1.t_peak_ms && Math.abs(vEnd - r1.V_end_mV) < 1e-9,
      `experiment 1: ${spikes} spikes, peak ${peak} mV at ${tPeak} ms, end ${vEnd} mV (the lab notebook: ${r1.spike_count}, ${r1.V_peak_mV} at ${r1.t_peak_ms}, ${r1.V_end_mV})`,
    );
    const euler = numbers(out("fi-counts"));
    check(
      equal(euler, reference.experiment_2_fi.spike_counts),
      `experiment 2: the ${euler.length} Euler spike counts equal the lab notebook's 51`,
    );
    const rk4 = /spike counts \(rk4[^)]*\)\)?: \[([^\]]*)\]/.exec(out("converged-counts"));
    const rk4Counts = rk4 ? numbers(rk4[1]) : [];
    check(
      equal(rk4Counts, converged.spike_counts),
      `converged: the ${rk4Counts.length} rk4 (dt 0.01 ms) counts equal test/fixtures/lab-fi-converged.json`,
    );
    const notConverged = /(\d+) of 51 amplitudes not converged/.exec(out("dt-check-euler"));
    check(
      notConverged?.[1] === "50",
      `dt check: Euler at dt 0.025 ms not converged at ${notConverged?.[1]} of 51 amplitudes (all 50 that spike)`,
    );
  } else {
    const m = /spikes: (\d+),\s*eFEL_spikes: (\d+)/.exec(out("check-trace").replace(/\s+/g, " "));
    check(m !== null && Number(m[1]) === efel.peak_time.length, `recording: ${m?.[1]} spikes, eFEL finds ${efel.peak_time.length}`);
  }
}
if (run.status !== 0) failures.push(`the notebook runner exited with ${run.status}`);
if (failures.length > 0) {
  console.error(`\nnotebooks: ${failures.length} failure(s):\n${failures.map((f) => `  ${f}`).join("\n")}`);
  process.exit(1);
}
console.log(
  `\nnotebooks: all cells ran and every count equals its reference; outputs written to ${NOTEBOOKS.map((p) => relative(root, at(p))).join(", ")}`,
);

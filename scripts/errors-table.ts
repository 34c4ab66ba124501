/**
 * Writes docs/errors.md: the bad inputs tried on the `spikelab` CLI and the exact answer each gets
 * (exit status and stderr), by running the built CLI. test/errors-table.test.ts checks the file is current.
 *
 *   npm run build && npx tsx scripts/errors-table.ts
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** Files the cases refer to, created in a fresh folder that is the CLI's working directory. */
const FILES: Record<string, string> = {
  "bad.json": "{ not json",
  "bad.yaml": "a: [\n",
  "nameless.json": JSON.stringify({ cm_uF_per_cm2: 1, v0_mV: -65, channels: [{ name: "L", gMax_mS_per_cm2: 0.3, eRev_mV: -54 }] }),
  "typo.json": JSON.stringify({ duration_ms: 50, dt_ms: 0.025, recrod: { variables: ["V"] } }),
  "verbatim.mod": "NEURON { SUFFIX x }\nVERBATIM\nreturn 0;\nENDVERBATIM\n",
  "kinetic.mod": "NEURON { SUFFIX x }\nSTATE { c o }\nKINETIC kin {\n  ~ c <-> o (1, 2)\n}\n",
  "synapse.mod": "NEURON { POINT_PROCESS syn }\n",
  "syntax.mod": "NEURON { SUFFIX x }\nBREAKPOINT { i = g*(v - -70 }\n",
  "noion.mod":
    "NEURON { SUFFIX ih USEION h READ eh WRITE ih }\nPARAMETER { g = 0.001 (S/cm2) }\nASSIGNED { v (mV) eh (mV) ih (mA/cm2) }\nBREAKPOINT { ih = g*(v - eh) }\n",
  "piecewise.mod":
    "NEURON { SUFFIX x NONSPECIFIC_CURRENT i }\nPARAMETER { g = 0.001 (S/cm2) }\nASSIGNED { v (mV) i (mA/cm2) tau (ms) }\nSTATE { m }\nBREAKPOINT { SOLVE s METHOD cnexp\n  i = g*m*(v + 70) }\nDERIVATIVE s {\n  if (v < -50) { tau = 1 } else { tau = 2 }\n  m' = (1/(1 + exp(-v/5)) - m)/tau\n}\n",
  "pulses.json": JSON.stringify({
    duration_ms: 50,
    dt_ms: 0.025,
    stimulus: { type: "pulses", pulses: [{ start_ms: 5, duration_ms: 1, amplitude_uA_per_cm2: 20 }] },
  }),
  "proto.json": '{ "duration_ms": 50, "dt_ms": 0.025, "parameters": { "__proto__": { "gNa": 1 } } }',
  "grid.json": JSON.stringify({ axes: [{ name: "amplitude", values: [1, 2] }] }),
  "deep-expr.json": JSON.stringify({
    name: "deep",
    cm_uF_per_cm2: 1,
    v0_mV: -65,
    channels: [
      {
        name: "K",
        gMax_mS_per_cm2: 1,
        eRev_mV: -90,
        gates: [{ name: "n", power: 1, alpha: `${"exp(".repeat(100)}V${")".repeat(100)}`, beta: "1" }],
      },
    ],
  }),
  "escape.nml": '<neuroml><include href="/etc/passwd"/><cell id="c"/></neuroml>',
};

/** [what is wrong, the arguments]. */
export const CASES: readonly (readonly [string, readonly string[]])[] = [
  ["negative time step", ["run", "--dt-ms", "-1"]],
  ["a time step that does not divide the duration", ["run", "--dt-ms", "0.03"]],
  ["a time step longer than the run", ["run", "--dt-ms", "100"]],
  ["a time step below 1 ns", ["run", "--dt-ms", "1e-9"]],
  ["an unknown method", ["run", "--method", "rk5"]],
  ["an unknown model", ["run", "--model", "nope"]],
  ["a model file that is not JSON", ["run", "--model", "bad.json"]],
  ["a model file without a name", ["run", "--model", "nameless.json"]],
  ["a negative conductance", ["run", "--param", "gNa=-5"]],
  ["an unknown parameter", ["run", "--param", "foo=1"]],
  ["a temperature out of the physical range", ["run", "--model", "hh1952", "--param", "celsius=500"]],
  ["a parameter without a value", ["run", "--param", "gNa"]],
  ["a stimulus before the run", ["run", "--start-ms", "-5"]],
  ["a stimulus after the run", ["run", "--start-ms", "60", "--stop-ms", "70"]],
  ["a stimulus that stops before it starts", ["run", "--start-ms", "30", "--stop-ms", "20"]],
  ["an unknown variable to record", ["run", "--record", "V,q"]],
  ["a sample interval that is not a multiple of dt", ["run", "--sample-ms", "0.03"]],
  ["billions of samples in memory", ["run", "--duration-ms", "1e9", "--dt-ms", "0.001"]],
  ["10 minutes of every variable at every step, in memory", ["run", "--duration-ms", "600000"]],
  ["a tolerance out of range", ["run", "--method", "rk45", "--rtol", "2"]],
  ["an unknown flag", ["run", "--bogus"]],
  ["an unknown command", ["runx"]],
  ["a spec file that does not exist", ["run", "--spec", "missing.json"]],
  ["a spec file that is not JSON", ["run", "--spec", "bad.json"]],
  ["a spec file that is not YAML", ["run", "--spec", "bad.yaml"]],
  ["a misspelt field in a spec file", ["run", "--spec", "typo.json"]],
  ["a step flag on a spec with pulses", ["run", "--spec", "pulses.json", "--amplitude", "2"]],
  ["an output file that cannot be written", ["run", "--csv", "/proc/x.csv"]],
  ["an output file that is a folder", ["run", "--csv", "folder"]],
  ["a time step at which Euler diverges", ["run", "--dt-ms", "0.2"]],
  ["an f–I curve with no amplitudes", ["fi", "--steps", "0"]],
  ["an f–I window beyond the run", ["fi", "--duration-ms", "100"]],
  ["a sweep range without a step", ["sweep", "--amplitude", "0:10"]],
  ["a sweep range that runs backwards", ["sweep", "--param", "gNa=1:0:1"]],
  ["a sweep over negative conductances", ["sweep", "--param", "gNa=-10:10:5", "--amplitude", "1"]],
  ["a sweep over an unknown parameter", ["sweep", "--param", "gCa=1,2"]],
  ["a sweep spec file that is not JSON", ["sweep", "--spec", "bad.json"]],
  ["--resume without --out", ["sweep", "--amplitude", "1", "--resume"]],
  ["an unknown schema", ["schema", "foo"]],
  ["an unknown built-in model to show", ["model", "show", "nope"]],
  ["a model file to check that does not exist", ["model", "check", "nonexist.json"]],
  ["a rate expression nested 100 deep", ["run", "--model", "deep-expr.json"]],
  ["a __proto__ key in a spec file", ["run", "--spec", "proto.json"]],
  ["a __proto__ parameter", ["run", "--param", "__proto__=1"]],
  ["a sweep spec file with grid flags", ["sweep", "--spec", "grid.json", "--dt-ms", "0.01"]],
  ["a NeuroML include outside the model's folder", ["run", "--model", "escape.nml"]],
  ["an NMODL file with C code (VERBATIM)", ["run", "--model", "verbatim.mod"]],
  ["an NMODL KINETIC scheme", ["run", "--model", "kinetic.mod"]],
  ["an NMODL point process (a synapse)", ["run", "--model", "synapse.mod"]],
  ["an NMODL syntax error", ["run", "--model", "syntax.mod"]],
  ["an NMODL ion without a reversal potential", ["run", "--model", "noion.mod"]],
  ["an NMODL rate defined piecewise (a general if)", ["run", "--model", "piecewise.mod"]],
];

export interface Answer {
  readonly status: number | null;
  readonly stderr: string;
}

function runCli(bin: string, cwd: string, args: readonly string[]): Promise<Answer> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    p.stderr.on("data", (d) => {
      stderr += d;
    });
    p.on("close", (status) => resolve({ status, stderr }));
  });
}

/** Runs every case (4 at a time) in a fresh folder with the files above. */
export async function answers(bin: string): Promise<Answer[]> {
  const cwd = mkdtempSync(join(tmpdir(), "spikelab-errors-"));
  for (const [name, text] of Object.entries(FILES)) writeFileSync(join(cwd, name), text);
  mkdirSync(join(cwd, "folder"));
  const out: Answer[] = new Array(CASES.length);
  let next = 0;
  const worker = async () => {
    while (next < CASES.length) {
      const k = next++;
      out[k] = await runCli(bin, cwd, (CASES[k] as (typeof CASES)[number])[1]);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return out;
}

const cell = (s: string) => s.trim().replaceAll("|", "\\|").replaceAll("\n", "<br>");

/** docs/errors.md from the answers. */
export function errorsMarkdown(list: readonly Answer[]): string {
  const rows = CASES.map(([what, args], k) => {
    const a = list[k] as Answer;
    return `| ${what} | \`spikelab ${args.join(" ")}\` | ${a.status} | ${cell(a.stderr)} |`;
  });
  const files = Object.entries(FILES).map(([name, text]) => `- \`${name}\`: \`${text.replaceAll("\n", "\\n")}\``);
  return `# Bad input and what spikelab answers

Every bad input gets one line on stderr naming the argument, the value and what is allowed, and exit
status 2; nothing is allocated or run first. The library throws the same message as an
\`InvalidArgumentError\` (a \`ResourceLimitError\` for a run too big for memory, a \`DivergenceError\`
for a run that blows up). Exit status 1 is kept for bugs ("internal error"; \`SPIKELAB_DEBUG=1\` shows the stack).

Generated by \`scripts/errors-table.ts\`, which runs the built CLI on each input below
(\`npm run build && npx tsx scripts/errors-table.ts\`); \`test/errors-table.test.ts\` fails when this
file is not what the CLI answers now.

| bad input | command | exit | answer (stderr) |
| --- | --- | --- | --- |
${rows.join("\n")}

Files used above (in the working directory):

${files.join("\n")}
- \`folder\`: a folder
`;
}

export const DIST_CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
export const ERRORS_MD = fileURLToPath(new URL("../docs/errors.md", import.meta.url));

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(ERRORS_MD, errorsMarkdown(await answers(DIST_CLI)));
  console.log(`wrote ${ERRORS_MD}`);
}

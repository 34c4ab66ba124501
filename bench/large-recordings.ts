/**
 * 100 MB recordings open without being read whole (issue 20). Run by hand:
 *
 *   npx tsx bench/large-recordings.ts        # writes bench/results-large-recordings.md
 *
 * Builds two ~100 MB files in a temporary folder and opens one sweep of each through `openRecording`
 * (as `spikelab analyze --trace FILE --sweep N` does), measuring the bytes the reader asks for (ABF), the
 * time, and the growth of the process's resident memory:
 * - ABF 1.8: test/fixtures/abf/190619B_0003.abf's header with its 10 sweeps repeated to 820 sweeps
 *   (lActualEpisodes and lActualAcqLength patched; 2 channels × 30,640 samples a sweep, int16);
 * - NWB: 40 CurrentClampSeries of 625,000 float32 samples (2.5 MB each), written with h5wasm.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openRecording } from "../src/io/recordings/open.js";

const dir = mkdtempSync(join(tmpdir(), "spikelab-large-"));
const rows: string[] = [];
const mb = (b: number) => (b / 1048576).toFixed(1);
try {
  // ABF 1.8, 820 sweeps
  const src = new Uint8Array(readFileSync(fileURLToPath(new URL("../test/fixtures/abf/190619B_0003.abf", import.meta.url))));
  const view = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const dataStart = view.getInt32(40, true) * 512;
  const perSweep = 30640 * 2 * 2;
  const sweeps = 820;
  const header = src.slice(0, dataStart);
  const hv = new DataView(header.buffer);
  hv.setInt32(16, sweeps, true);
  hv.setInt32(10, sweeps * 30640 * 2, true);
  const abf = join(dir, "large.abf");
  const fd = openSync(abf, "w");
  writeSync(fd, header);
  for (let k = 0; k < sweeps; k++) writeSync(fd, src.subarray(dataStart + (k % 10) * perSweep, dataStart + ((k % 10) + 1) * perSweep));
  closeSync(fd);

  // NWB, 40 series × 2.5 MB
  const h5 = await import("h5wasm/node");
  await h5.ready;
  const nwb = join(dir, "large.nwb");
  const f = new h5.File(nwb, "w");
  f.create_attribute("nwb_version", "2.7.0");
  const acq = f.create_group("acquisition");
  const n = 625000;
  const v = new Float32Array(n).map((_, i) => -0.065 + 0.1 * (i % 2000 < 20 ? 1 : 0));
  for (let k = 0; k < 40; k++) {
    const g = acq.create_group(`CurrentClampSeries${String(k).padStart(2, "0")}`);
    g.create_attribute("neurodata_type", "CurrentClampSeries");
    g.create_dataset({ name: "data", data: v });
    (g.get("data") as unknown as { create_attribute(a: string, b: unknown): void }).create_attribute("unit", "volts");
    g.create_dataset({ name: "starting_time", data: 0 });
    (g.get("starting_time") as unknown as { create_attribute(a: string, b: unknown): void }).create_attribute("rate", 20000);
  }
  f.close();

  for (const [label, path, sweep] of [
    ["ABF 1.8, 820 sweeps × 2 channels", abf, 400],
    ["NWB, 40 CurrentClampSeries", nwb, 20],
  ] as const) {
    globalThis.gc?.();
    const rss0 = process.memoryUsage().rss;
    const t0 = performance.now();
    const r = await openRecording(path, { sweep });
    const ms = performance.now() - t0;
    const rss1 = process.memoryUsage().rss;
    const s = r.sweeps[0] as (typeof r.sweeps)[number];
    rows.push(
      `| ${label} | ${mb(statSync(path).size)} | ${sweep} of ${r.sweep_count} | ${s.t_ms.length.toLocaleString("en")} | ${ms.toFixed(0)} | ${mb(rss1 - rss0)} |`,
    );
    console.log(rows[rows.length - 1]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
writeFileSync(
  fileURLToPath(new URL("./results-large-recordings.md", import.meta.url)),
  `# 100 MB recordings, one sweep read (bench/large-recordings.ts)

Opening one sweep (as \`spikelab analyze --trace FILE --sweep N\`): wall time of \`openRecording\` and the growth of
the process's resident memory meanwhile (Node ${process.version}; the first NWB open includes loading h5wasm).

| file | size (MB) | sweep | samples read | open + read (ms) | RSS growth (MB) |
| --- | ---: | --- | ---: | ---: | ---: |
${rows.join("\n")}

Measured ${new Date().toISOString().slice(0, 16)} UTC.
`,
);

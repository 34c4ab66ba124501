/**
 * Bundles the CLI (src/cli/main.ts and everything it imports, zod, commander, yaml … included) into
 * dist/cli/main.js and chunks next to it (tsc leaves src/cli/ to it: tsconfig.build.json). Loading ~100
 * small ES modules cost more than the lab's whole f–I sweep; a handful of files loads in a fraction of
 * that (bench/startup.sh). Each command stays a lazily loaded chunk, so `spikelab fi` never loads the
 * plotting stack. The sweep's worker threads get a bundled entry too, dist/cli/sweep-worker.js (the pool
 * prefers it to dist/sweep/worker.js): each worker starts in a fraction of the time. Runs after tsc in
 * `npm run build`; the library (dist/index.js, dist/node.js) stays tsc's unbundled ES modules.
 *
 * The chunks are CommonJS (dist/cli/package.json says so): Node's require() of a few files is ≈ 18 ms
 * quicker than its ES module loader (asynchronous reads, linking, fs/promises) for `spikelab fi --json`
 * (166 against 184 ms, medians of 31 interleaved runs; Node 20).
 *
 * The bundler is rolldown (Vite's), for one thing esbuild cannot do: choose the chunks. Left to itself a
 * bundler cuts one chunk per set of importers, which gave `spikelab fi` fourteen files to resolve, read
 * and link (each costs Node 2–3 ms before any code runs). Here the modules of the lab's f–I path (the
 * `core` group below: models, spec and zod, the simulation engine and WebAssembly kernel, the fi
 * command) form one chunk, and commander with the error classes, the kernel store's reader and the
 * output helpers another,
 * which main.js alone needs (so `--version` and usage errors load no more).
 *
 * `import.meta.url` in a bundled module is rewritten to the URL its own tsc-built file has (dist/<path>.js),
 * so code that finds built files relative to itself (io/dist.ts's builtFile, plot/node.ts's fonts) finds
 * the same files as before. That works because every output file lies in dist/cli/.
 */
import { spawnSync } from "node:child_process";
import { rm, writeFile } from "node:fs/promises";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { rolldown } from "rolldown";

const root = fileURLToPath(new URL("..", import.meta.url));
const src = `${root}src/`;

/** Native addons and packages that start their own worker files stay plain imports from node_modules. */
const external = ["piscina", "@resvg/resvg-js", "webgpu"];

/**
 * commander requires node:child_process (and with it net, stream, dgram …) for executable subcommands,
 * which spikelab has none of: it gets a stand-in that loads the module on first use.
 */
const lazyChildProcess = {
  name: "lazy-child-process",
  resolveId(id, importer) {
    if (/^(node:)?child_process$/.test(id) && importer?.includes("/node_modules/commander/")) return "\0lazy-child-process";
  },
  load(id) {
    if (id !== "\0lazy-child-process") return;
    return 'import { createRequire } from "node:module";\nconst require = createRequire(import.meta.url);\nlet m;\nexport default new Proxy({}, { get: (_, k) => (m ??= require("node:child_process"))[k] });\n';
  },
};

/**
 * The entry: Node ≥ 22.1 keeps V8's compiled code of the CLI's modules in a cache (module.enableCompileCache),
 * which must be switched on before they load; on Node 20 cli/codeCache.ts reads the caches this script
 * writes beside the chunks (below).
 */
const entry = {
  name: "entry",
  resolveId(id) {
    if (id === "spikelab-entry") return "\0spikelab-entry";
  },
  load(id) {
    if (id !== "\0spikelab-entry") return;
    return [
      'import module from "node:module";',
      'import { setFlagsFromString } from "node:v8";',
      'import { dirname } from "node:path";',
      'import { fileURLToPath } from "node:url";',
      `import { useCodeCache } from ${JSON.stringify(`${src}cli/codeCache.ts`)};`,
      // a CLI process runs one job: its WebAssembly kernel compiled optimized at once, not first in the
      // baseline tier (Liftoff); set before any chunk compiles, as V8's code caches depend on the flags
      'setFlagsFromString("--no-liftoff");',
      // fast math's fused multiply–adds: WebAssembly relaxed SIMD, behind a flag on Node 20 (wasm/nodeFlags.ts)
      `import { enableRelaxedSimd } from ${JSON.stringify(`${src}wasm/nodeFlags.ts`)};`,
      "enableRelaxedSimd();",
      "if (module.enableCompileCache) module.enableCompileCache();",
      "else useCodeCache(dirname(fileURLToPath(import.meta.url)));",
      `import(${JSON.stringify(`${src}cli/main.ts`)}).then((m) => m.main());`,
      "",
    ].join("\n");
  },
};

const metaUrl = {
  name: "tsc-import-meta-url",
  transform(code, id) {
    if (!id.startsWith(src) || !id.endsWith(".ts") || !code.includes("import.meta.url")) return;
    // every bundle file is in dist/cli/, so "../<path>.js" from there is this module's tsc output
    const built = `../${relative(src, id).replace(/\.ts$/, ".js")}`;
    // map: null keeps the module's source map (the replacement moves columns, never lines)
    return { code: code.replaceAll("import.meta.url", `new URL(${JSON.stringify(built)}, import.meta.url).href`), map: null };
  },
};

/** The modules of the lab's f–I path (`spikelab fi [--json]`), by path below src/ (a folder ends in /). */
const fiPath = [
  "models/",
  "integrators/",
  "record/",
  "stimulus/",
  "system/",
  "program/",
  "wasm/",
  "validate.ts",
  "spec.ts",
  "simulate.ts",
  "units.ts",
  "experiments/fi.ts",
  "experiments/convergence.ts",
  "io/export.ts",
  "io/columns.ts",
  "io/files.ts",
  "gpu/methods.ts",
  "cli/fi.ts",
  "cli/common.ts",
  "cli/parse.ts",
  "cli/backend.ts",
  "cli/sweepOptions.ts",
  "cli/fiOverlay.ts",
  // and what a sweep's worker threads run
  "sweep/batch.ts",
  "sweep/grid.ts",
  "sweep/spec.ts",
];
/** …but not the model formats only a model file needs, nor the helper threads of large curves (node:worker_threads), nor the entry's V8 flag (set before the code caches load). */
const notFiPath = ["models/modelText.ts", "models/neuroml.ts", "wasm/threads.ts", "wasm/nodeFlags.ts"];
const under = (id, list) => id.startsWith(src) && list.some((p) => relative(src, id).startsWith(p));

// chunks of an earlier build would pile up (their names carry a hash)
await rm(`${root}dist/cli`, { recursive: true, force: true });

const bundle = await rolldown({
  cwd: root,
  // the sweep's worker threads load their own entry (chunks shared with the CLI's)
  input: { main: "spikelab-entry", "sweep-worker": "src/sweep/worker.ts" },
  platform: "node",
  external,
  resolve: { extensionAlias: { ".js": [".ts", ".js"] } },
  plugins: [entry, lazyChildProcess, metaUrl],
  logLevel: "warn",
  onLog(level, log, handler) {
    // fi.ts is imported statically by commands.ts (the lab report) too: expected, and the reason for the groups
    if (log.code === "INEFFECTIVE_DYNAMIC_IMPORT") return;
    handler(level, log);
  },
});
const { output } = await bundle.write({
  dir: "dist/cli",
  format: "cjs",
  entryFileNames: "[name].js",
  chunkFileNames: "bundle-[name]-[hash].js",
  sourcemap: true,
  minify: !process.env.NO_MINIFY,
  keepNames: true,
  comments: { legal: false },
  banner: (chunk) => (chunk.fileName === "main.js" ? "#!/usr/bin/env node" : ""),
  codeSplitting: {
    groups: [
      {
        name: "commander",
        priority: 2,
        test: (id) =>
          /\/node_modules\/commander\/|rolldown\/runtime/.test(id) ||
          id === "\0lazy-child-process" ||
          [`${src}errors.ts`, `${src}wasm/store.ts`, `${src}wasm/fileStore.ts`, `${src}cli/output.ts`].includes(id),
      },
      {
        name: "core",
        priority: 1,
        // zod's JSON Schema writer only for `spikelab schema` and `model schema`
        test: (id) => (/\/node_modules\/zod\//.test(id) && !/json-schema/.test(id)) || (under(id, fiPath) && !under(id, notFiPath)),
      },
    ],
  },
});
await bundle.close();
// CommonJS, in a package of type "module": the folder says so
await writeFile(`${root}dist/cli/package.json`, `${JSON.stringify({ type: "commonjs" })}\n`);
// V8's code caches of the chunks (cli/codeCache.ts), written by running what they are for: the lab's f–I
// sweep (the functions it runs, compiled), then the help (every command's chunk, its top level)
for (const args of [["fi", "--json"], ["--help"]]) {
  const r = spawnSync(process.execPath, ["dist/cli/main.js", ...args], {
    cwd: root,
    env: { ...process.env, SPIKELAB_CODE_CACHE: "write" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  if (r.status !== 0) throw new Error(`writing the code caches: spikelab ${args.join(" ")} exited ${r.status}`);
}
if (process.env.SPIKELAB_METAFILE) {
  const chunks = output
    .filter((o) => o.type === "chunk")
    .map((c) => ({
      file: c.fileName,
      bytes: c.code.length,
      imports: c.imports,
      dynamicImports: c.dynamicImports,
      modules: Object.keys(c.modules).map((m) => relative(root, m)),
    }));
  await writeFile(process.env.SPIKELAB_METAFILE, JSON.stringify(chunks, null, 1));
}

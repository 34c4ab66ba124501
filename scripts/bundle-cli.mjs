/**
 * Bundles the CLI (src/cli/main.ts and everything it imports, zod, commander, yaml … included) into
 * dist/cli/main.js and a few chunks next to it, replacing tsc's dist/cli/main.js. Loading ~100 small ES
 * modules cost more than the lab's whole f–I sweep; a handful of files loads in a fraction of that
 * (bench/startup.sh). Each command stays a lazily imported chunk, so `spikelab fi` never loads the plotting
 * stack. Runs after tsc in `npm run build`; the library (dist/index.js, dist/node.js) stays tsc's
 * unbundled output. The sweep's worker threads get a bundled entry too, dist/cli/sweep-worker.js
 * (the pool prefers it to dist/sweep/worker.js): each worker starts in a fraction of the time.
 *
 * `import.meta.url` in a bundled module is rewritten to the URL its own tsc-built file has (dist/<path>.js),
 * so code that finds built files relative to itself (io/dist.ts's builtFile, plot/node.ts's fonts) finds
 * the same files as before. That works because every output file lies in dist/cli/.
 */
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

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
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes("/node_modules/commander/") ? { path: "child_process", namespace: "lazy-child-process" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "lazy-child-process" }, () => ({
      contents: 'let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require("node:child_process"))[k] });',
      loader: "js",
    }));
  },
};

/**
 * The entry: Node ≥ 22.1 keeps V8's compiled code of the CLI's modules in a cache (module.enableCompileCache),
 * which must be switched on before they load; on Node 20 the call is absent and skipped.
 */
const entry = {
  name: "entry",
  setup(b) {
    b.onResolve({ filter: /^spikelab-entry$/ }, () => ({ path: "entry", namespace: "spikelab-entry" }));
    b.onLoad({ filter: /.*/, namespace: "spikelab-entry" }, () => ({
      contents:
        '#!/usr/bin/env node\nimport module from "node:module";\nmodule.enableCompileCache?.();\nawait import("./src/cli/main.ts");\n',
      loader: "js",
      resolveDir: root,
    }));
  },
};

const metaUrl = {
  name: "tsc-import-meta-url",
  setup(b) {
    b.onLoad({ filter: /\/src\/.*\.ts$/ }, async (args) => {
      let contents = await readFile(args.path, "utf8");
      if (contents.includes("import.meta.url")) {
        // every bundle file is in dist/cli/, so "../<path>.js" from there is this module's tsc output
        const built = `../${relative(src, args.path).replace(/\.ts$/, ".js")}`;
        contents = contents.replaceAll("import.meta.url", `new URL(${JSON.stringify(built)}, import.meta.url).href`);
      }
      return { contents, loader: "ts" };
    });
  },
};

// chunks of an earlier build would pile up (their names carry a hash)
for (const f of await readdir(`${root}dist/cli`).catch(() => [])) {
  if (f.startsWith("bundle-")) await rm(`${root}dist/cli/${f}`);
}

const options = {
  absWorkingDir: root,
  outdir: "dist/cli",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  // CommonJS dependencies bundled into ES modules call require() for Node's built-ins
  banner: { js: 'import { createRequire as __spikelabRequire } from "node:module"; const require = __spikelabRequire(import.meta.url);' },
  sourcemap: "linked",
  legalComments: "none",
  minify: !process.env.NO_MINIFY,
  keepNames: true,
  logLevel: "warning",
  metafile: !!process.env.SPIKELAB_METAFILE,
};
const result = await build({
  ...options,
  // the sweep's worker threads load their own entry (chunks shared with the CLI's)
  entryPoints: { main: "spikelab-entry", "sweep-worker": "src/sweep/worker.ts" },
  chunkNames: "bundle-[name]-[hash]",
  plugins: [entry, lazyChildProcess, metaUrl],
});
if (result.metafile) await writeFile(process.env.SPIKELAB_METAFILE, JSON.stringify(result.metafile));

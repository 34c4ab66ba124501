#!/usr/bin/env node
/**
 * `npm run check:package`: the npm package as users get it (run after `npm run build`).
 * 1. publint (strict: warnings fail) — package.json fields and the exports map;
 * 2. "Are the types wrong?" (attw) on the packed tarball, profile esm-only: types resolve first and match the ESM
 *    JavaScript for Node 16+ (ESM) and bundlers in every entry (CommonJS require() is not offered: an ESM-only package);
 * 3. the browser entries (`spikelab`, `spikelab/display`) bundle for the browser with no Node built-in, and every entry
 *    (`spikelab`, `spikelab/node`, `spikelab/display`) imports in Node through the exports map;
 * 4. the tarball's contents (`npm pack --dry-run`): only dist/ and the package's own files, no tests or fixtures,
 *    every export and bin target present, all of the build's WebAssembly kernels, and the figure font reachable
 *    (DejaVu Sans comes from the `dejavu-fonts-ttf` dependency, not the tarball).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = (name) => join(root, "node_modules", ".bin", name);
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const failures = [];
const check = (ok, what) => {
  console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
  if (!ok) failures.push(what);
};
const run = (cmd, args) => {
  try {
    return { ok: true, out: execFileSync(cmd, args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
  } catch (e) {
    return { ok: false, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
};
if (!existsSync(join(root, "dist", "index.js"))) {
  console.error("check:package: dist/ is missing: npm run build");
  process.exit(1);
}

// 1. publint
const pub = run(bin("publint"), ["--strict"]);
check(pub.ok && /All good/.test(pub.out), `publint --strict: ${pub.ok ? "all good" : pub.out.trim()}`);

// 2. attw on the tarball (packed without scripts: dist/ is already built)
const tmp = mkdtempSync(join(tmpdir(), "spikelab-pack-"));
try {
  const packed = JSON.parse(run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", tmp]).out)[0];
  const attw = run(bin("attw"), [join(tmp, packed.filename), "--profile", "esm-only", "--format", "table-flipped"]);
  check(attw.ok, `attw --profile esm-only${attw.ok ? ": no problems" : `:\n${attw.out}`}`);

  // 4. the tarball's contents
  const files = packed.files.map((f) => f.path);
  console.log(
    `     tarball: ${files.length} files, ${(packed.size / 1024).toFixed(0)} KiB packed, ${(packed.unpackedSize / 1024 / 1024).toFixed(1)} MiB unpacked`,
  );
  const own = new Set(["package.json", "README.md", "LICENSE", "CHANGELOG.md"]);
  const stray = files.filter((f) => !f.startsWith("dist/") && !own.has(f));
  check(stray.length === 0, `only dist/ and the package's own files${stray.length ? `; also: ${stray.join(", ")}` : ""}`);
  const tests = files.filter((f) => /(^|\/)(test|tests|__tests__|fixtures|e2e)\//.test(f) || /\.(test|e2e|spec)\.[cm]?[jt]s/.test(f));
  check(tests.length === 0, `no tests or fixtures${tests.length ? `: ${tests.slice(0, 5).join(", ")}` : ""}`);
  const targets = [
    ...Object.values(pkg.exports).flatMap((e) => Object.values(e)),
    ...Object.values(typeof pkg.bin === "string" ? { spikelab: pkg.bin } : pkg.bin),
  ].map((p) => p.replace(/^\.\//, ""));
  const missing = targets.filter((t) => !files.includes(t));
  check(
    missing.length === 0,
    `every export and bin target packed (${targets.length})${missing.length ? `; missing: ${missing.join(", ")}` : ""}`,
  );
  const built = readdirSync(join(root, "dist", "wasm", "kernels")).map((f) => `dist/wasm/kernels/${f}`);
  const kernels = built.filter((f) => files.includes(f));
  check(
    built.length > 0 && kernels.length === built.length,
    `the WebAssembly kernels: ${kernels.length} of the build's ${built.length} files packed`,
  );
  check(files.includes("CHANGELOG.md"), "CHANGELOG.md packed");
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const require = createRequire(join(root, "dist", "plot", "node.js"));
const fonts = ["dejavu-fonts-ttf/ttf/DejaVuSans.ttf", "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"].filter((f) => {
  try {
    return existsSync(require.resolve(f));
  } catch {
    return false;
  }
});
check(
  fonts.length === 2 && "dejavu-fonts-ttf" in pkg.dependencies,
  "the figure font (DejaVu Sans, regular and bold) resolves from the dependency dejavu-fonts-ttf",
);

// 3. browser entries bundle for the browser; every entry imports in Node
for (const entry of ["dist/index.js", "dist/display/index.js"]) {
  try {
    const r = await build({
      entryPoints: [join(root, entry)],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
    });
    check(true, `${entry} bundles for the browser (${(r.outputFiles[0].contents.length / 1024).toFixed(0)} KiB, no Node built-in)`);
  } catch (e) {
    check(false, `${entry} bundles for the browser: ${e.errors?.map((x) => x.text).join("; ") ?? e}`);
  }
}
for (const name of Object.keys(pkg.exports).map((k) => k.replace(/^\./, pkg.name))) {
  const r = run(process.execPath, [
    "--input-type=module",
    "-e",
    `const m = await import(${JSON.stringify(name)}); console.log(Object.keys(m).length);`,
  ]);
  check(r.ok && Number(r.out) > 0, `import "${name}" in Node: ${r.ok ? `${r.out.trim()} exports` : r.out.trim().split("\n")[0]}`);
}
if (failures.length) {
  console.error(`\ncheck:package: ${failures.length} problem(s)`);
  process.exit(1);
}
console.log("\ncheck:package: the package is clean");

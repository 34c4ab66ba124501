import { readFileSync, renameSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { basename, dirname } from "node:path";
import vm from "node:vm";

/**
 * V8's compiled code of the CLI's chunks, kept beside them (`bundle-….js.v8cache`): Node ≥ 22.1 does
 * this itself (module.enableCompileCache, which the entry switches on), Node 20 cannot, so the entry
 * installs this instead. `npm run build` writes the caches (SPIKELAB_CODE_CACHE=write, after a lab
 * f–I sweep and the help, so the functions those run are compiled); at run time they are only read, and
 * one V8 refuses (another Node version or V8 flags) is compiled as usual. `spikelab fi --json` ≈ 7 ms
 * sooner (medians of 31). SPIKELAB_CODE_CACHE=report prints each chunk's cache use to stderr.
 */
export function useCodeCache(dir: string): void {
  const mode = process.env.SPIKELAB_CODE_CACHE;
  const write = mode === "write";
  const compiled: [string, vm.Script][] = [];
  type Compile = (this: Module & { exports: unknown }, content: string, filename: string) => unknown;
  const proto = Module.prototype as unknown as { _compile: Compile };
  const original = proto._compile;
  proto._compile = function (content, filename) {
    // a chunk with an import() of an ES module (webgpu) is compiled as usual: from a vm.Script it
    // would need an experimental option of Node 20's (and its warning)
    if (dirname(filename) !== dir || !basename(filename).startsWith("bundle-") || content.includes("import(")) {
      return original.call(this, content, filename);
    }
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(`${filename}.v8cache`);
    } catch {
      cachedData = undefined; // none: compile as usual
    }
    const script = new vm.Script(Module.wrap(content), { filename, cachedData });
    if (write && (cachedData === undefined || script.cachedDataRejected)) compiled.push([filename, script]);
    if (mode === "report") {
      const use = cachedData === undefined ? "none" : script.cachedDataRejected ? "rejected" : "accepted";
      process.stderr.write(`code cache ${basename(filename)}: ${use}\n`);
    }
    const wrapper = script.runInThisContext() as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, createRequire(filename), this, filename, dirname(filename));
  };
  if (write) {
    process.on("exit", () => {
      for (const [filename, script] of compiled) {
        writeFileSync(`${filename}.v8cache.tmp`, script.createCachedData());
        renameSync(`${filename}.v8cache.tmp`, `${filename}.v8cache`);
      }
    });
  }
}

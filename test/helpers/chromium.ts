import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

/** Headless flags plus WebGPU on SwiftShader (a CPU implementation), as in the project's notes on the stack (README, GPU). */
export const SWIFTSHADER_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--enable-unsafe-webgpu",
  "--enable-unsafe-swiftshader",
  "--use-webgpu-adapter=swiftshader",
];

export interface GpuPage {
  readonly page: Page;
  close(): Promise<void>;
}

/**
 * Bundles test/gpu/page.ts (the browser-safe GPU API) with esbuild, serves it on 127.0.0.1 (a
 * secure context, as WebGPU needs) and opens it in headless Debian Chromium on SwiftShader.
 * Throws, with the install command, when Chromium is missing: these tests never skip.
 */
export async function openGpuPage(): Promise<GpuPage> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the WebGPU tests need Debian's chromium (apt-get install -y chromium)`);
  }
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL("../gpu/page.ts", import.meta.url))],
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const js = bundle.outputFiles[0]?.text ?? "";
  const server: Server = createServer((req, res) => {
    if (req.url === "/page.js") {
      res.setHeader("content-type", "text/javascript");
      res.end(js);
      return;
    }
    res.setHeader("content-type", "text/html");
    res.end('<!doctype html><meta charset="utf-8"><title>spikelab gpu</title><script type="module" src="/page.js"></script>');
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const port = (server.address() as AddressInfo).port;
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: SWIFTSHADER_ARGS });
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => "spikelab" in globalThis);
    const b = browser;
    return {
      page,
      close: async () => {
        await b.close();
        server.close();
      },
    };
  } catch (e) {
    await browser?.close();
    server.close();
    throw e;
  }
}

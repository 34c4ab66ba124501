/**
 * End-to-end harness: serves the built browser lab (web/dist) with `vite preview` on a free
 * loopback port and drives Debian's chromium through playwright-core.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";

export const CHROMIUM = "/usr/bin/chromium";
export const INSTALL_CHROMIUM = "apt-get update && apt-get install -y chromium";
const repo = fileURLToPath(new URL("../../", import.meta.url));

/** Stops with the one command to run when chromium is missing (never a silent skip). */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(`the browser tests need Debian's chromium at ${CHROMIUM}; install it with: ${INSTALL_CHROMIUM}`);
  if (!existsSync(`${repo}web/dist/index.html`)) throw new Error("web/dist is missing; build the app first: npm run build:web");
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

export interface Served {
  url: string;
  stop(): Promise<void>;
}

/** `vite preview --host 127.0.0.1 --strictPort` on a free port; resolves when it answers. */
export async function serve(): Promise<Served> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      `${repo}node_modules/vite/bin/vite.js`,
      "preview",
      "--config",
      `${repo}web/vite.config.ts`,
      "--host",
      "127.0.0.1",
      "--strictPort",
      "--port",
      String(port),
    ],
    { cwd: repo, stdio: ["ignore", "pipe", "pipe"] },
  );
  let log = "";
  child.stdout?.on("data", (d) => (log += d));
  child.stderr?.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited (${child.exitCode}):\n${log}`);
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`vite preview did not answer at ${url} within 20 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill();
      }),
  };
}

/**
 * Debian's chromium, headless, with the flags STACK.md records. `webgpu`: without --disable-gpu and
 * with WebGPU on SwiftShader (a CPU implementation: navigator.gpu gets an adapter, no GPU needed).
 */
export const launch = (options: { webgpu?: boolean } = {}): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      ...(options.webgpu
        ? ["--enable-unsafe-webgpu", "--enable-unsafe-swiftshader", "--use-webgpu-adapter=swiftshader"]
        : ["--disable-gpu"]),
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });

/** Where the e2e tests write the screenshots a reviewer looks at (docs/review/). */
export const REVIEW = fileURLToPath(new URL("../../docs/review/", import.meta.url));

/** The served lab and the chromium of one e2e file (set before its first test). */
export interface Lab {
  served: Served;
  browser: Browser;
}

/**
 * Registers the hooks every e2e file needs: before its tests, chromium is checked, the lab served and a browser
 * launched (`review`: docs/review/ made for screenshots; `timeout_ms` for the hook, default 60 s); after them both
 * are stopped. The returned object's fields are set when the tests run.
 */
export function useLab(options: { review?: boolean; timeout_ms?: number } = {}): Lab {
  const lab = {} as Lab;
  beforeAll(async () => {
    requireChromium();
    if (options.review) mkdirSync(REVIEW, { recursive: true });
    lab.served = await serve();
    lab.browser = await launch();
  }, options.timeout_ms ?? 60_000);
  afterAll(async () => {
    await lab.browser?.close();
    await lab.served?.stop();
  });
  return lab;
}

/** Waits until the live lab has shown its newest run (or an error for it). */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const d = document.body.dataset;
    return d.labRequested !== undefined && d.labRequested === d.labShown;
  });
}

/** Waits until the URL holds the current state (it is written 150 ms after the last change). */
export async function urlSaved(page: Page, contains: string): Promise<void> {
  await page.waitForFunction((s) => location.search.includes(s), contains);
}

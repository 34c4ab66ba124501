import { defineConfig } from "vite";

/** The browser lab: a static app (relative base, so any static server or a file share can host web/dist). */
const root = decodeURIComponent(new URL(".", import.meta.url).pathname);

export default defineConfig({
  root,
  base: "./",
  build: { outDir: "dist", emptyOutDir: true, target: "es2022", chunkSizeWarningLimit: 1000 },
  worker: { format: "es" },
  // the app imports the library straight from ../src
  server: { fs: { allow: [`${root}..`] } },
  preview: { host: "127.0.0.1" },
});

/**
 * Node-only side of the figures: a DOM document for Observable Plot (linkedom) and PNG rendering
 * (resvg) with the bundled DejaVu Sans font and no system fonts, so a PNG is the same on every machine.
 * The browser passes its own `document` to the figure functions instead.
 */
import { createRequire } from "node:module";
import { Resvg } from "@resvg/resvg-js";
import { parseHTML } from "linkedom";

const require = createRequire(import.meta.url);

/** A fresh DOM document for Plot to build SVG in (no state is kept between figures). */
export const svgDocument = (): Document =>
  parseHTML("<!DOCTYPE html><html><head></head><body></body></html>").document as unknown as Document;

/** The bundled font files (DejaVu Sans, regular and bold). */
export const fontFiles = (): string[] => [
  require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"),
  require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"),
];

/** Renders an SVG string to PNG bytes at `scale` × its size, with the bundled font only. */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const r = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "white",
    font: {
      fontFiles: fontFiles(),
      loadSystemFonts: false,
      defaultFontFamily: "DejaVu Sans",
      sansSerifFamily: "DejaVu Sans",
      serifFamily: "DejaVu Sans",
      monospaceFamily: "DejaVu Sans",
    },
  });
  return r.render().asPng();
}

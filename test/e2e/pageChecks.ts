/**
 * Page checks shared by the teaching-lab e2e files: the boxes of every visible run of text (and the plots' placed
 * labels), the pairs of them that overlap, and axe-core's violations (the same checks as screens.e2e.ts).
 */
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

export interface TextBox {
  text: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** Boxes of every visible run of text on the page (each text node's client rects), and the plots' placed labels. */
export const pageTextBoxes = (page: Page): Promise<TextBox[]> =>
  page.evaluate(() => {
    const out: TextBox[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = (n.textContent ?? "").trim();
      const parent = n.parentElement;
      if (!text || !parent || parent.closest("[hidden], script, style, option, select")) continue;
      // the text of a closed <details> is not shown, only its summary
      if (parent.closest("details:not([open])") && !parent.closest("summary")) continue;
      const st = getComputedStyle(parent);
      if (st.visibility === "hidden" || st.display === "none" || Number(st.opacity) === 0) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of Array.from(range.getClientRects())) {
        if (r.width < 1 || r.height < 1) continue;
        out.push({ text, x0: r.left + scrollX, y0: r.top + scrollY, x1: r.right + scrollX, y1: r.bottom + scrollY });
      }
    }
    for (const root of Array.from(document.querySelectorAll<HTMLElement>(".uplot[data-labels]"))) {
      if (root.closest("[hidden]")) continue;
      const canvas = root.querySelector("canvas") as HTMLCanvasElement;
      const c = canvas.getBoundingClientRect();
      for (const l of JSON.parse(root.dataset.labels ?? "[]") as TextBox[])
        out.push({
          text: `plot label ${l.text}`,
          x0: l.x0 + c.left + scrollX,
          y0: l.y0 + c.top + scrollY,
          x1: l.x1 + c.left + scrollX,
          y1: l.y1 + c.top + scrollY,
        });
    }
    return out;
  });

/** Pairs of overlapping boxes (by more than half a pixel each way: adjacent lines of text touch). */
export const collisions = (boxes: TextBox[]): string[] => {
  const out: string[] = [];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i] as TextBox;
      const b = boxes[j] as TextBox;
      if (Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > 0.5 && Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > 0.5)
        out.push(`${a.text} × ${b.text}`);
    }
  return out;
};

/** axe-core's violations on the page as it is now, one line each. */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(c: Document, o: object): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  return found;
}

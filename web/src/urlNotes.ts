/**
 * Marks the controls a link's unusable values belong to (./urlProblems.ts): a note under each control, named by
 * its input's aria-describedby, removed once the student edits the control; and one line at the top of the page
 * saying how many values were not used.
 */
import { el } from "./controls.js";
import type { UrlProblem } from "./urlProblems.js";

export function showUrlProblems(problems: readonly UrlProblem[], top: HTMLElement): void {
  if (!problems.length) return;
  const summary = el(
    "p",
    { class: "url-summary", id: "url-problems", role: "status" },
    problems.length === 1
      ? "This link had one setting that could not be used; it is marked below."
      : `This link had ${problems.length} settings that could not be used; they are marked below.`,
  );
  top.prepend(summary);
  for (const p of problems) {
    const input = document.getElementById(p.controlId);
    const field = input?.closest(".field") ?? input?.parentElement;
    if (!input || !field) {
      summary.append(" ", p.message);
      continue;
    }
    const noteId = `${p.controlId}-url`;
    const note = el("p", { class: "url-note", id: noteId }, p.message);
    field.append(note);
    input.setAttribute("aria-describedby", `${input.getAttribute("aria-describedby") ?? ""} ${noteId}`.trim());
    field.classList.add("from-url");
    const clear = () => {
      note.remove();
      field.classList.remove("from-url");
      input.setAttribute("aria-describedby", (input.getAttribute("aria-describedby") ?? "").replace(noteId, "").trim());
      if (!document.querySelector(".url-note")) summary.remove();
    };
    input.addEventListener("input", clear, { once: true });
    input.addEventListener("change", clear, { once: true });
  }
}

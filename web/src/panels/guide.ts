/**
 * The guided lab: a box above the views with the current step of the lab's two experiments (./guideSteps.ts):
 * what to do, what to look for, one question; links to the previous and next step (each a URL a teacher can share,
 * `?guide=N`, which sets the app's state for that step); a link in the header starts the path.
 */
import { el } from "../controls.js";
import { GUIDE, guideStepOf } from "../guideSteps.js";

/** Adds the header's "Guided lab" link and, with ?guide=N, the step's box at the top of `main`. */
export function guide(): void {
  const n = guideStepOf(location.search);
  const header = document.querySelector("header.top");
  header?.querySelector(".tabs")?.after(el("a", { class: "guide-start", id: "guide-start", href: "?guide=1" }, "Guided lab"));
  if (n === null) return;
  const step = GUIDE[n - 1] as (typeof GUIDE)[number];
  const link = (k: number, text: string, rel: string) => el("a", { href: `?guide=${k}`, rel, class: "guide-link" }, text);
  const close = el("button", { type: "button", class: "small", id: "guide-close" }, "Close the guide");
  const box = el(
    "section",
    { class: "guide", id: "guide", "aria-labelledby": "guide-title" },
    el("p", { class: "meta guide-count" }, `Guided lab · step ${n} of ${GUIDE.length}`),
    el("h2", { id: "guide-title" }, step.title),
    el(
      "dl",
      {},
      el("dt", {}, "Do"),
      el("dd", { id: "guide-todo" }, step.todo),
      el("dt", {}, "Look for"),
      el("dd", { id: "guide-look" }, step.look),
      el("dt", {}, "Question"),
      el("dd", { id: "guide-question" }, step.question),
    ),
    el(
      "nav",
      { class: "guide-nav", "aria-label": "Guided lab steps" },
      ...(n > 1 ? [link(n - 1, `← Step ${n - 1}`, "prev")] : []),
      link(n, "Start this step again", "bookmark"),
      ...(n < GUIDE.length ? [link(n + 1, `Step ${n + 1} →`, "next")] : []),
      close,
    ),
  );
  close.addEventListener("click", () => {
    box.remove();
    const q = new URLSearchParams(location.search);
    q.delete("guide");
    history.replaceState(null, "", `?${q.toString()}`);
  });
  document.querySelector("main")?.prepend(box);
  document.body.dataset.guide = String(n);
}

/**
 * Under each view: the `spikelab` command and the library call of what the view shows (./commandLine.ts), with
 * copy buttons. Kept current on every change of the state (update(), called where the app saves its URL) and
 * after any input in the page (the voltage clamp keeps its settings in its own panel), 120 ms after the last one.
 */
import { type ClampSettings, type EquivalentView, equivalentOf } from "../commandLine.js";
import { el } from "../controls.js";
import type { LabState } from "../state.js";

const VIEWS: { view: EquivalentView; name: string }[] = [
  { view: "lab", name: "live lab" },
  { view: "fi", name: "f–I curve" },
  { view: "map", name: "parameter map" },
  { view: "dynamics", name: "dynamics" },
  { view: "clamp", name: "voltage clamp" },
];

async function copy(text: string, button: HTMLButtonElement): Promise<void> {
  const was = button.textContent;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch {
    button.textContent = "Select and copy";
  }
  setTimeout(() => (button.textContent = was), 1500);
}

export interface Equivalents {
  update(): void;
}

/** Adds the box to each view's section (#view-NAME) and returns its updater. */
export function equivalents(state: LabState, clamp: () => ClampSettings): Equivalents {
  const boxes = VIEWS.flatMap(({ view, name }) => {
    const host = document.querySelector(`#view-${view}`);
    if (!host) return [];
    const command = el("code", { id: `equiv-${view}-command` });
    const call = el("code", { id: `equiv-${view}-call` });
    const copyCommand = el("button", { class: "small", type: "button", "aria-label": `Copy the ${name} command` }, "Copy");
    const copyCall = el("button", { class: "small", type: "button", "aria-label": `Copy the ${name} library call` }, "Copy");
    copyCommand.addEventListener("click", () => void copy(command.textContent ?? "", copyCommand));
    copyCall.addEventListener("click", () => void copy(call.textContent ?? "", copyCall));
    const pre = (code: HTMLElement, label: string) =>
      el("pre", { class: "equiv-code", tabindex: "0", role: "region", "aria-label": label }, code);
    host.append(
      el(
        "details",
        { class: "equiv", id: `equiv-${view}`, open: "" },
        el("summary", {}, "The same from the command line or a script"),
        el("div", { class: "equiv-head" }, el("span", { class: "label" }, "spikelab command"), copyCommand),
        pre(command, `spikelab command of the ${name}`),
        el("div", { class: "equiv-head" }, el("span", { class: "label" }, "library call (TypeScript/JavaScript)"), copyCall),
        pre(call, `library call of the ${name}`),
      ),
    );
    return [{ view, host, command, call }];
  });
  let queued = 0;
  const update = () => {
    clearTimeout(queued);
    queued = 0;
    // only the view on screen (a view that is shown saves the URL, which updates it)
    for (const b of boxes) {
      if ((b.host as HTMLElement).hidden) continue;
      const e = equivalentOf(b.view, state, clamp());
      if (b.command.textContent !== e.command) b.command.textContent = e.command;
      if (b.call.textContent !== e.call) b.call.textContent = e.call;
    }
  };
  // a moment after the last change (as the URL), so that it never competes with a live run's drawing
  // (a view just shown whose box is still empty is filled at once)
  const later = () => {
    clearTimeout(queued);
    if (boxes.some((b) => !(b.host as HTMLElement).hidden && !b.command.textContent)) update();
    else queued = window.setTimeout(update, 120);
  };
  document.addEventListener("input", later);
  document.addEventListener("change", later);
  update();
  return { update: later };
}

/**
 * The settings sidebar's "Blockers and temperature" group: TTX and TEA as switches, each with the fraction of its
 * channels' conductance it blocks (0–100 %), and the model's temperature where it has one (its `celsius` parameter
 * slider, moved here from the parameter list). Which channel each blocker hits is the library's answer
 * (blockedChannels): a model without it says so beside the switch, and the switch is off for it.
 */
import { blockApplies, blockKey, blockNote } from "../blockState.js";
import { el, type NumberField, numberField } from "../controls.js";
import { BLOCKER_TARGET, BLOCKERS, type BlockerName, modelParameters } from "../lib.js";
import { modelOf } from "../models.js";
import type { LabState } from "../state.js";

export class BlockersPanel {
  readonly root: HTMLElement;
  private readonly switches = new Map<BlockerName, HTMLInputElement>();
  private readonly fractions = new Map<BlockerName, NumberField>();
  private readonly notes = new Map<BlockerName, HTMLElement>();
  private readonly temperature = el("div", { class: "temperature", id: "block-temperature" });

  constructor(
    private readonly state: LabState,
    private readonly changed: () => void,
  ) {
    const rows = BLOCKERS.map((b) => this.blocker(b));
    this.root = el(
      "section",
      { "aria-labelledby": "h-block", id: "blockers" },
      el("h2", { id: "h-block" }, "Blockers and temperature"),
      ...rows,
      this.temperature,
    );
  }

  private blocker(b: BlockerName): HTMLElement {
    const key = blockKey(b);
    const on = el("input", { type: "checkbox", id: `ctl-block-${key}`, "aria-describedby": `ctl-block-${key}-note` });
    on.checked = this.state.block[b].on;
    on.addEventListener("change", () => {
      this.state.block[b].on = on.checked;
      this.refresh();
      this.changed();
    });
    const fraction = numberField({
      id: `ctl-block-${key}-f`,
      label: `${b} block`,
      unit: "%",
      value: this.state.block[b].f * 100,
      slider: { min: 0, max: 100, step: 1 },
      description: `the fraction of ${BLOCKER_TARGET[b]}'s conductance ${b} blocks (100 %: all of it)`,
      onInput: (v, problem) => {
        if (v === null || v < 0 || v > 100) {
          fraction.setError(problem ?? `${b} block must be from 0 to 100 %; got ${v}`);
          return;
        }
        fraction.setError(null);
        this.state.block[b].f = v / 100;
        this.refresh();
        this.changed();
      },
    });
    const note = el("p", { class: "desc block-note", id: `ctl-block-${key}-note` });
    this.switches.set(b, on);
    this.fractions.set(b, fraction);
    this.notes.set(b, note);
    return el(
      "div",
      { class: "blocker" },
      el("label", { class: "check", for: `ctl-block-${key}` }, on, `${b} (blocks ${BLOCKER_TARGET[b].replace(/^the /, "")})`),
      fraction.root,
      note,
    );
  }

  /** The model changed: the notes say what each blocker hits in it; its temperature slider (if any) is shown here. */
  modelChanged(celsius: HTMLElement | null): void {
    const m = modelOf(this.state.model);
    const has = m ? modelParameters(m).some((p) => p.name === "celsius") : false;
    if (celsius && has) this.temperature.replaceChildren(celsius);
    else
      this.temperature.replaceChildren(
        el(
          "p",
          { class: "desc", id: "block-no-temperature" },
          `Temperature: the model ${m?.name ?? this.state.model} has no temperature parameter (its rates do not depend on it).`,
        ),
      );
    this.refresh();
  }

  /** Updates each blocker's switch (another view, the voltage clamp, may have turned it) and note (the conductance it leaves, or why it does not apply). */
  refresh(): void {
    const m = modelOf(this.state.model);
    for (const b of BLOCKERS) {
      const note = this.notes.get(b) as HTMLElement;
      const on = this.switches.get(b) as HTMLInputElement;
      const fraction = this.fractions.get(b) as NumberField;
      const applies = blockApplies(m, b);
      on.checked = this.state.block[b].on;
      on.disabled = !applies;
      fraction.input.disabled = !applies;
      if (fraction.slider) fraction.slider.disabled = !applies;
      note.classList.toggle("not-applicable", !applies);
      note.textContent = blockNote(this.state, b);
    }
  }
}

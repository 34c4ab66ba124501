import { invalid } from "../../errors.js";
import { checkModel, compileModel } from "../compile.js";
import type { ChannelDefinition, IonDefinition, NeuronModel, TemperatureDependence } from "../types.js";
import { parseNmodl } from "./parser.js";
import { scaleDecimal, type TranslatedMechanism, translateMechanism } from "./translate.js";

export { parseNmodl } from "./parser.js";
export { NEURON_REVERSALS, scaleDecimal, type TranslatedMechanism, translateMechanism } from "./translate.js";

/**
 * NEURON's NMODL (.mod files) → spikelab models. Browser-safe: takes texts, never reads files.
 *
 * A cell is NEURON's `insert` of mechanisms into one compartment, with NEURON's names for every value:
 * `gNaTa_tbar_NaTa_t` (a PARAMETER of a mechanism, in its own units: S/cm² for conductances), `g_pas`,
 * `e_pas` (NEURON's built-in leak, 0.001 S/cm² and −70 mV by default), `ena`, `ek`, `eca` (mV).
 */
export interface NmodlCell {
  readonly name?: string;
  readonly title?: string;
  /** Provenance, put before the import's own notes. */
  readonly source?: string;
  /** Temperature (°C); NEURON's default 6.3. */
  readonly celsius?: number;
  readonly cm_uF_per_cm2?: number;
  /** Initial potential (mV, NEURON's v_init −65 by default) or "rest". */
  readonly v0_mV?: number | "rest";
  /** Suffixes of the mechanisms to insert (`pas` is NEURON's leak); default: every file's, in order. */
  readonly insert?: readonly string[];
  /** Values by NEURON's hoc names (gNaTa_tbar_NaTa_t, g_pas, e_pas, ena …). */
  readonly parameters?: Readonly<Record<string, number>>;
}

/** A .mod file's text with the name errors should use. */
export interface NmodlSource {
  readonly file: string;
  readonly text: string;
}

const PAS = { g: 0.001, e: -70 };

/** NEURON's ions: valence and default concentrations (mM; hoc cai0_ca_ion, cao0_ca_ion …). */
const NEURON_IONS: Readonly<Record<string, { charge: number; inside_mM: number; outside_mM: number }>> = {
  ca: { charge: 2, inside_mM: 5e-5, outside_mM: 2 },
  na: { charge: 1, inside_mM: 10, outside_mM: 140 },
  k: { charge: 1, inside_mM: 54.4, outside_mM: 2.5 },
};

/**
 * The pools of the mechanisms as the model's ions (NEURON's defaults for the initial inside and the fixed
 * outside concentration); a channel of a pooled ion gets the Nernst potential, as NEURON computes e<ion>
 * from the concentrations once a mechanism writes <ion>i. Other channels keep their fixed E and no ion.
 */
function poolIons(
  mechanisms: readonly TranslatedMechanism[],
  channels: ChannelDefinition[],
  where: string,
): { ions?: Record<string, IonDefinition>; channels: ChannelDefinition[]; notes: string[] } {
  const ions: Record<string, IonDefinition> = {};
  const known = (ion: string, file: string) => {
    const x = NEURON_IONS[ion];
    if (!x)
      throw invalid(
        `${where}: ${file}: the ion`,
        ion,
        `one of NEURON's ions ${Object.keys(NEURON_IONS).join(", ")} (for its concentrations)`,
      );
    return x;
  };
  for (const m of mechanisms) {
    for (const [ion, pool] of Object.entries(m.pools)) {
      if (ions[ion]?.pool) throw invalid(`${where}: ${m.file}: a second pool of ion`, ion, "one pool per ion");
      ions[ion] = { ...known(ion, m.file), pool };
    }
  }
  // a concentration read but never written: NEURON's fixed default (cai0_ca_ion …); a GHK current reads both
  for (const m of mechanisms) for (const ion of m.readsInside) ions[ion] ??= known(ion, m.file);
  for (const m of mechanisms) for (const c of m.channels) if (c.ghk && c.ion) ions[c.ion] ??= known(c.ion, m.file);
  if (Object.keys(ions).length === 0) return { channels: channels.map(({ ion: _, ...c }) => c), notes: [] };
  const notes: string[] = [];
  const out = channels.map((c) => {
    const { ion, ...rest } = c;
    if (c.ghk) return c; // its ion's concentrations drive it (and it the ion's pool, if any)
    if (ion === undefined || !ions[ion]?.pool) return rest;
    notes.push(
      `${c.name}: E = Nernst of ${ion} (${ion}i written by a pool; ${ion}o = ${ions[ion]?.outside_mM} mM) instead of e${ion} = ${c.eRev_mV} mV`,
    );
    return { ...rest, ion, eRev_mV: "nernst" as const };
  });
  return { ions, channels: out, notes };
}

/** Gates' shared temperature dependence moved to the model (as hh1952 has it). */
function liftTemperature(channels: ChannelDefinition[]): { channels: ChannelDefinition[]; temperature?: TemperatureDependence } {
  const temps = channels.flatMap((c) => c.gates.map((g) => g.temperature));
  const t = temps[0];
  if (!t || !temps.every((x) => x && x.q10 === t.q10 && x.reference_celsius === t.reference_celsius)) return { channels };
  return {
    temperature: t,
    channels: channels.map((c) => ({ ...c, gates: c.gates.map(({ temperature: _t, ...g }) => g) })),
  };
}

function buildModel(
  cell: NmodlCell,
  mechanisms: readonly TranslatedMechanism[],
  pas: { g: number; e: number } | undefined,
  defaultName: string,
): NeuronModel {
  const pooled = poolIons(
    mechanisms,
    mechanisms.flatMap((m) => m.channels),
    defaultName,
  );
  const channels: ChannelDefinition[] = pooled.channels;
  if (pas) channels.push({ name: "pas", gMax_mS_per_cm2: scaleDecimal(pas.g, 3), eRev_mV: pas.e, gates: [] });
  const lifted = liftTemperature(channels);
  const temperatureDependent =
    lifted.temperature !== undefined ||
    lifted.channels.some((c) => c.eRev_mV === "nernst" || c.ghk !== undefined || c.gates.some((g) => g.temperature));
  const notes = [...mechanisms.flatMap((m) => m.notes.map((n) => `${m.file}: ${n}`)), ...pooled.notes];
  const model: NeuronModel = {
    name: cell.name ?? defaultName,
    title: cell.title ?? `NMODL: ${mechanisms.map((m) => m.suffix).join(", ")}${pas ? " + pas" : ""}`,
    source: `${cell.source ? `${cell.source}; ` : ""}Imported from NEURON NMODL (${mechanisms.map((m) => m.file).join(", ")})${notes.length ? `; ${notes.join("; ")}` : ""}`,
    cm_uF_per_cm2: cell.cm_uF_per_cm2 ?? 1,
    v0_mV: cell.v0_mV ?? -65,
    ...(temperatureDependent ? { celsius: cell.celsius ?? 6.3 } : {}),
    ...(lifted.temperature ? { temperature: lifted.temperature } : {}),
    ...(pooled.ions ? { ions: pooled.ions } : {}),
    channels: lifted.channels,
  };
  checkModel(model);
  compileModel(model);
  return model;
}

/**
 * One .mod file as a model: its channels, plus NEURON's `pas` leak (1 mS/cm², −70 mV; `g_pas`, `e_pas` in
 * the options' parameters) unless the mechanism has a current without gates of its own (hh.mod's il).
 */
export function nmodlToModel(source: NmodlSource, cell: NmodlCell = {}): NeuronModel {
  const mod = parseNmodl(source.text, source.file);
  const suffix = mod.suffix?.name ?? "";
  const split = splitParameters(cell.parameters ?? {}, [suffix, "pas"], source.file);
  const m = translateMechanism(mod, { parameters: split.bySuffix.get(suffix) ?? {}, reversals: split.reversals, celsius: cell.celsius });
  const hasLeak = m.channels.some((c) => c.gates.length === 0);
  const pasValues = split.bySuffix.get("pas") ?? {};
  const pas = hasLeak && Object.keys(pasValues).length === 0 ? undefined : { g: pasValues.g ?? PAS.g, e: pasValues.e ?? PAS.e };
  return buildModel(cell, [m], pas, suffix);
}

/** NEURON hoc names → per-mechanism PARAMETERs (name_suffix) and reversal potentials (e<ion>). */
function splitParameters(
  values: Readonly<Record<string, number>>,
  suffixes: readonly string[],
  where: string,
): { bySuffix: Map<string, Record<string, number>>; reversals: Record<string, number> } {
  const bySuffix = new Map<string, Record<string, number>>();
  const reversals: Record<string, number> = {};
  const longestFirst = [...suffixes].sort((a, b) => b.length - a.length);
  for (const [key, value] of Object.entries(values)) {
    if (!Number.isFinite(value)) throw invalid(`${where}: parameter ${key}`, value, "a finite number");
    const s = longestFirst.find((x) => key.endsWith(`_${x}`) && key.length > x.length + 1);
    if (s) {
      const entry = bySuffix.get(s) ?? {};
      entry[key.slice(0, key.length - s.length - 1)] = value;
      bySuffix.set(s, entry);
    } else if (/^e[a-z][a-z0-9]*$/.test(key)) reversals[key] = value;
    else {
      throw invalid(
        `${where}: parameter name`,
        key,
        `NEURON's name of a mechanism's PARAMETER, <name>_<suffix> with a suffix of ${suffixes.join(", ")} (e.g. g_pas), or an ion's reversal potential (ena, ek, eca …)`,
      );
    }
  }
  return { bySuffix, reversals };
}

/** A single-compartment cell of several .mod mechanisms (names qualified by suffix, as NEURON's m_NaTa_t). */
export function nmodlCellToModel(cell: NmodlCell, sources: readonly NmodlSource[], where = "cell"): NeuronModel {
  const mods = sources.map((s) => parseNmodl(s.text, s.file));
  const bySuffix = new Map(mods.map((m) => [m.suffix?.name ?? m.file, m]));
  const insert = cell.insert ?? [...bySuffix.keys()];
  for (const s of insert) {
    if (s !== "pas" && !bySuffix.has(s))
      throw invalid(`${where}: insert`, s, `pas or the SUFFIX of a listed mechanism (${[...bySuffix.keys()].join(", ")})`);
  }
  const split = splitParameters(cell.parameters ?? {}, insert, where);
  const translated = insert
    .filter((s) => s !== "pas")
    .map((s) =>
      translateMechanism(bySuffix.get(s) as never, {
        parameters: split.bySuffix.get(s) ?? {},
        reversals: split.reversals,
        celsius: cell.celsius,
        qualify: true,
      }),
    );
  const pasValues = split.bySuffix.get("pas") ?? {};
  for (const k of Object.keys(pasValues)) if (k !== "g" && k !== "e") throw invalid(`${where}: parameter`, `${k}_pas`, "g_pas or e_pas");
  const pas = insert.includes("pas") ? { g: pasValues.g ?? PAS.g, e: pasValues.e ?? PAS.e } : undefined;
  return buildModel(cell, translated, pas, "nmodl-cell");
}

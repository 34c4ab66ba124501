/**
 * spikelab — conductance-based neuron simulation.
 * Units: ms, mV, µA/cm², mS/cm², µF/cm² (see units.ts).
 */

export * from "./analysis/index.js";
export * from "./dynamics/index.js";
export type { Complex } from "./dynamics/linalg.js";
export type { Vec } from "./dynamics/lyapunov.js";
export * from "./errors.js";
export * from "./experiments/allOrNone.js";
export * from "./experiments/bisect.js";
export * from "./experiments/blockers.js";
export * from "./experiments/convergence.js";
export * from "./experiments/fi.js";
export * from "./experiments/labProtocols.js";
export * from "./experiments/pairedProtocol.js";
export * from "./experiments/pairedPulse.js";
export * from "./experiments/refractory.js";
export * from "./experiments/rest.js";
export * from "./experiments/rheobase.js";
export * from "./experiments/sustained.js";
export * from "./experiments/voltageClamp.js";
export * from "./fit/index.js";
export * from "./gpu/index.js";
export * from "./integrators/index.js";
export * from "./models/index.js";
export type { CompiledIon } from "./models/ions.js";
// the model-file readers (YAML, NeuroML) are not in models/index.ts: the simulation path never loads their parsers
export * from "./models/modelText.js";
export type { CellOptions as NeuromlCellOptions, Library as NeuromlLibrary } from "./models/neuroml/cell.js";
export * from "./models/neuroml.js";
export type {
  Callable as NmodlCallable,
  Declaration as NmodlDeclaration,
  NExpr,
  NmodlFile,
  Stmt as NmodlStmt,
  UseIon as NmodlUseIon,
} from "./models/nmodl/ast.js";
export { type NmodlCell, type NmodlSource, nmodlCellToModel, nmodlToModel, parseNmodl } from "./models/nmodl/index.js";
export { PROGRAM_METHODS, type ProgramOptions, stepProgram } from "./program/build.js";
export type { FusedRun, KernelInputs } from "./program/runners.js";
export type { Block, Bounds, CurrentInput, CurrentTime, Let, StepProgram } from "./program/types.js";
export * from "./record/index.js";
export * from "./schemas.js";
export * from "./simulate.js";
export * from "./spec.js";
export * from "./stimulus/index.js";
export * from "./sweep/index.js";
export * from "./system/membrane.js";
export type * from "./units.js";

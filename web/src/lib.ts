/**
 * Everything the browser lab takes from the library, in one place: the app runs the real
 * library (../src), bundled by Vite, in the page (model and method lists) and in its workers.
 */

export { type ActionPotential, actionPotentials, DEFAULT_ONSET_DVDT_MV_PER_MS, stepInjection } from "../../src/analysis/features.js";
export { type CurveMethod, curveLabel, curveLabels, methodLabel } from "../../src/display/curveLabel.js";
export { DivergenceError, InvalidArgumentError, SpikelabError } from "../../src/errors.js";
export {
  BLOCKER_TARGET,
  BLOCKERS,
  type BlockerName,
  type Blocks,
  blockedChannels,
  blockedConductances,
  blockGrid,
  blockParameters,
  blocksLabel,
} from "../../src/experiments/blockers.js";
export { type FiOptions, type FiResult, fiCurve, linspace, sweepRheobase } from "../../src/experiments/fi.js";
export { LAB_EXPERIMENT_1, LAB_FI, LAB_FI_CONVERGED } from "../../src/experiments/labProtocols.js";
export { coverSteps } from "../../src/experiments/pairedProtocol.js";
export {
  type PairedPulseResult,
  pairedPulse,
  type RefractoryPhase,
  recoveryThresholdAt,
  refractoryPhase,
} from "../../src/experiments/pairedPulse.js";
export {
  describePeriod,
  type PeriodStatus,
  type RefractoryOptions,
  type RefractoryResult,
  refractoryPeriods,
} from "../../src/experiments/refractory.js";
export { type RheobaseOptions, type RheobaseResult, rheobase } from "../../src/experiments/rheobase.js";
export { type VoltageClampResult, voltageClamp } from "../../src/experiments/voltageClamp.js";
export { type BackendChoice, chooseBackend, type GpuProbe, gpuMethodsText } from "../../src/gpu/backend.js";
export { type GpuSweepResult, gpuSweep, shortestF32 } from "../../src/gpu/sweep.js";
export { GPU_METHODS } from "../../src/gpu/wgsl.js";
export { DEFAULT_METHOD, getMethod, methodNames } from "../../src/integrators/index.js";
export { columnName, concentrationNames, toCsv } from "../../src/io/columns.js";
export { namedColumns, type RunHeader, runHeader, runJsonOf } from "../../src/io/export.js";
export { builtinModels, DEFAULT_MODEL, modelParameters, poolNames, stateNames } from "../../src/models/index.js";
export { parseModelText } from "../../src/models/modelText.js";
export { neuromlIncludes, neuromlToModel } from "../../src/models/neuroml.js";
export { parseNmodlCell } from "../../src/models/nmodl/cell.js";
export { nmodlCellToModel, nmodlToModel } from "../../src/models/nmodl/index.js";
export type { NeuronModel, ParameterInfo } from "../../src/models/types.js";
export { decimateMinMax } from "../../src/plot/decimate.js";
export {
  AROUND,
  type Box,
  type Candidate,
  dotBox,
  type LabelRequest,
  overlappingPairs,
  type Polyline,
  placeLabels,
  textWidth,
} from "../../src/plot/labels.js";
export { BAND_OPACITY, MARK_COLORS, SERIES_COLORS, subscriptParts, VARIABLE_COLORS, variableColor } from "../../src/plot/palette.js";
export { niceTicks } from "../../src/plot/ticks.js";
export { spikeTimesOf } from "../../src/record/spikes.js";
export { type SimulationResult, simulate } from "../../src/simulate.js";
export type { SimulationSpecInput } from "../../src/spec.js";
export { type BatchResult, runBatch } from "../../src/sweep/batch.js";
export { type ChunkRule, chunkSize, planChunks } from "../../src/sweep/chunks.js";
export { axisColumns, parseSweepSpec, type SweepSpecInput } from "../../src/sweep/spec.js";

import { InvalidArgumentError, show } from "../../errors.js";
import type { ByteSource, Sweep, SweepStimulus } from "./types.js";

/**
 * Axon Binary Format (ABF) 1 and 2, read from the published layout (Axon's ABF File Support Pack, as
 * documented field by field in pyABF: src/pyabf/abf1/headerV1.py, src/pyabf/abf2/*.py). Only the header is
 * read when a file is opened; each sweep's samples are read when asked for, so a large file is never held
 * whole. int16 samples are scaled as Clampex does: raw × fADCRange / (lADCResolution × fInstrumentScaleFactor
 * × fSignalGain × fADCProgrammableGain [× fTelegraphAdditGain]) + fInstrumentOffset − fSignalOffset.
 */
export interface AbfHeader {
  /** 1 or 2. */
  readonly majorVersion: number;
  readonly versionString: string;
  /** 3 gap-free, 5 episodic (fixed-length sweeps), 1 variable-length events (read as fixed length). */
  readonly operationMode: number;
  readonly channelCount: number;
  readonly adcNames: readonly string[];
  readonly adcUnits: readonly string[];
  readonly dacUnits: readonly string[];
  /** Samples per second per channel. */
  readonly sampleRate_Hz: number;
  readonly sweepCount: number;
  /** Samples per sweep per channel. */
  readonly sweepPointCount: number;
  readonly dataByteStart: number;
  readonly dataPointCount: number;
  /** 0 int16, 1 float32. */
  readonly dataFormat: number;
  readonly protocol: string;
  readonly creator: string;
  /** The command waveform (epoch table) of DAC 0 as steps: per sweep, [start, stop) in samples and level (in dacUnits[0]). */
  readonly epochs: readonly AbfEpoch[];
  /** Per channel: value = raw × gain + offset. */
  readonly gain: readonly number[];
  readonly offset: readonly number[];
  /** The holding level of DAC 0 (dacUnits[0]). */
  readonly holding: number;
}

/** One epoch of the command waveform: type (1 step, 2 ramp, …) and its level and duration in sweep `k`. */
export interface AbfEpoch {
  readonly type: number;
  readonly level: number;
  readonly levelDelta: number;
  readonly duration: number;
  readonly durationDelta: number;
}

const corrupt = (file: string, what: string) => new InvalidArgumentError(`${file} must be an Axon ABF file; ${what}`);

class Reader {
  constructor(
    readonly view: DataView,
    readonly base: number,
  ) {}
  i16 = (o: number) => this.view.getInt16(o - this.base, true);
  i32 = (o: number) => this.view.getInt32(o - this.base, true);
  u32 = (o: number) => this.view.getUint32(o - this.base, true);
  f32 = (o: number) => this.view.getFloat32(o - this.base, true);
  u8 = (o: number) => this.view.getUint8(o - this.base);
  str(o: number, n: number): string {
    let s = "";
    for (let k = 0; k < n; k++) {
      const c = this.u8(o + k);
      if (c === 0) break;
      s += String.fromCharCode(c === 0xb5 ? 0x75 : c);
    }
    return s.trim();
  }
}

const readAt = (src: ByteSource, file: string, offset: number, length: number): Reader => {
  if (offset < 0 || offset + length > src.size)
    throw corrupt(file, `a header section lies outside the file (bytes ${offset}…${offset + length} of ${src.size})`);
  const b = src.read(offset, length);
  return new Reader(new DataView(b.buffer, b.byteOffset, b.byteLength), offset);
};

const protocolName = (path: string) => {
  const name = path.split(/[\\/]/).pop() ?? "";
  return name.toLowerCase().endsWith(".pro") ? name.slice(0, -4) : "None";
};

/** Reads an ABF file's header (ABF 1.x or 2.x): one-line error for anything that is not one. */
export function readAbfHeader(src: ByteSource, file = "recording.abf"): AbfHeader {
  if (src.size < 512) throw corrupt(file, `it has ${src.size} bytes, fewer than one 512-byte header block`);
  const sig = new TextDecoder("latin1").decode(src.read(0, 4));
  if (sig === "ABF2") return readV2(src, file);
  if (sig === "ABF ") return readV1(src, file);
  throw corrupt(file, `it starts with ${show(sig)}, not "ABF " (ABF 1) or "ABF2" (ABF 2)`);
}

function readV1(src: ByteSource, file: string): AbfHeader {
  if (src.size < 6144) throw corrupt(file, `its ABF 1 header is cut short (${src.size} of 6144 bytes)`);
  const h = readAt(src, file, 0, 6144);
  const version = h.f32(4);
  const channelCount = h.i16(120);
  if (!(channelCount >= 1 && channelCount <= 16)) throw corrupt(file, `its channel count is ${channelCount}`);
  const interval = h.f32(122);
  if (!(interval > 0)) throw corrupt(file, `its sample interval is ${interval} µs`);
  const sampleRate = Math.trunc(1e6 / interval / channelCount);
  const operationMode = h.i16(8);
  let sweepCount = h.i32(16);
  if (operationMode === 3 || sweepCount === 0) sweepCount = 1;
  const dataPointCount = h.i32(10);
  const adcRange = h.f32(244);
  const resolution = h.i32(252);
  const names: string[] = [];
  const units: string[] = [];
  const gain: number[] = [];
  const offset: number[] = [];
  for (let i = 0; i < channelCount; i++) {
    const p = h.i16(410 + 2 * i);
    names.push(h.str(442 + 10 * p, 10) || "?");
    units.push(h.str(602 + 8 * p, 8) || "?");
    let g = 1 / h.f32(922 + 4 * p) / h.f32(1050 + 4 * p) / h.f32(730 + 4 * p);
    if (h.i16(4512 + 2 * p) === 1) g /= h.f32(4576 + 4 * p);
    gain.push((g * adcRange) / resolution);
    offset.push(h.f32(986 + 4 * p) - h.f32(1114 + 4 * p));
  }
  const epochs: AbfEpoch[] = [];
  for (let i = 0; i < 10; i++) {
    const type = h.i16(2308 + 2 * i);
    if (type !== 0)
      epochs.push({
        type,
        level: h.f32(2348 + 4 * i),
        levelDelta: h.f32(2428 + 4 * i),
        duration: h.i32(2508 + 4 * i),
        durationDelta: h.i32(2588 + 4 * i),
      });
  }
  const major = Math.trunc(version);
  const digits = Math.round((version - major) * 100);
  return finish(file, src, {
    majorVersion: 1,
    versionString: `${major}.${Math.trunc(digits / 10)}.${digits % 10}.0`,
    operationMode,
    channelCount,
    adcNames: names,
    adcUnits: units,
    dacUnits: [h.str(1346, 8)],
    sampleRate_Hz: sampleRate,
    sweepCount,
    sweepPointCount: Math.trunc(dataPointCount / sweepCount / channelCount),
    dataByteStart: h.i32(40) * 512 + h.i16(14),
    dataPointCount,
    dataFormat: h.i16(100),
    protocol: protocolName(h.str(4898, 256)),
    creator: `${h.str(294, 16)} ${h.i16(5798)}.${h.i16(5800)}.${h.i16(5802)}.${h.i16(5804)}`,
    epochs,
    gain,
    offset,
    holding: 0,
  });
}

function readV2(src: ByteSource, file: string): AbfHeader {
  const h = readAt(src, file, 0, 512);
  const section = (at: number) => ({ block: h.u32(at), bytes: h.u32(at + 4), count: h.i32(at + 8) });
  const protocolS = section(76);
  const adcS = section(92);
  const dacS = section(108);
  const epochPerDacS = section(156);
  const stringsS = section(220);
  const dataS = section(236);
  if (adcS.count < 1 || adcS.count > 16) throw corrupt(file, `its ADC section lists ${adcS.count} channels`);
  const p = readAt(src, file, protocolS.block * 512, 208);
  const pb = protocolS.block * 512;
  const operationMode = p.i16(pb);
  const interval = p.f32(pb + 2);
  if (!(interval > 0)) throw corrupt(file, `its sample interval is ${interval} µs`);
  const adcRange = p.f32(pb + 110);
  const resolution = p.i32(pb + 118);
  // indexed strings: the first strings block after its last double NUL, split at NUL
  const raw = src.read(stringsS.block * 512, stringsS.bytes);
  let cut = -1;
  for (let k = raw.length - 2; k >= 0; k--)
    if (raw[k] === 0 && raw[k + 1] === 0) {
      cut = k;
      break;
    }
  const strings = Array.from(raw.subarray(Math.max(cut, 0)))
    .map((c) => String.fromCharCode(c === 0xb5 ? 0x75 : c))
    .join("")
    .split("\0")
    .slice(1)
    .map((s) => s.trim());
  const str = (i: number) => strings[i] ?? "";
  const names: string[] = [];
  const units: string[] = [];
  const gain: number[] = [];
  const offset: number[] = [];
  for (let i = 0; i < adcS.count; i++) {
    const o = adcS.block * 512 + i * adcS.bytes;
    const a = readAt(src, file, o, 82);
    let g = 1 / a.f32(o + 40) / a.f32(o + 48) / a.f32(o + 28);
    if (a.i16(o + 2) === 1) g /= a.f32(o + 6);
    gain.push((g * adcRange) / resolution);
    offset.push(a.f32(o + 44) - a.f32(o + 52));
    names.push(str(a.i32(o + 74)) || "?");
    units.push(str(a.i32(o + 78)) || "?");
  }
  const dacUnits: string[] = [];
  let holding = 0;
  for (let i = 0; i < Math.min(dacS.count, adcS.count); i++) {
    const o = dacS.block * 512 + i * dacS.bytes;
    const d = readAt(src, file, o, Math.min(dacS.bytes, 256));
    dacUnits.push(str(d.i32(o + 28)));
    if (i === 0) holding = d.f32(o + 12);
  }
  const epochs: AbfEpoch[] = [];
  for (let i = 0; i < epochPerDacS.count; i++) {
    const o = epochPerDacS.block * 512 + i * epochPerDacS.bytes;
    const e = readAt(src, file, o, 30);
    if (e.i16(o + 2) !== 0) continue; // DAC 0's epochs
    const type = e.i16(o + 4);
    if (type !== 0)
      epochs.push({ type, level: e.f32(o + 6), levelDelta: e.f32(o + 10), duration: e.i32(o + 14), durationDelta: e.i32(o + 18) });
  }
  const v = [h.u8(7), h.u8(6), h.u8(5), h.u8(4)];
  const cv = [h.u8(59), h.u8(58), h.u8(57), h.u8(56)];
  let sweepCount = h.u32(12);
  if (operationMode === 3 || sweepCount === 0) sweepCount = 1;
  const dataPointCount = dataS.count;
  return finish(file, src, {
    majorVersion: 2,
    versionString: v.join("."),
    operationMode,
    channelCount: adcS.count,
    adcNames: names,
    adcUnits: units,
    dacUnits,
    sampleRate_Hz: Math.trunc(1e6 / interval),
    sweepCount,
    sweepPointCount: Math.trunc(dataPointCount / sweepCount / adcS.count),
    dataByteStart: dataS.block * 512,
    dataPointCount,
    dataFormat: h.i16(30),
    protocol: protocolName(str(h.u32(72))),
    creator: `${str(h.u32(60))} ${cv.join(".")}`,
    epochs,
    gain,
    offset,
    holding: Math.abs(holding) > 1e6 ? Number.NaN : holding,
  });
}

function finish(file: string, src: ByteSource, hd: AbfHeader): AbfHeader {
  if (hd.dataFormat !== 0 && hd.dataFormat !== 1)
    throw corrupt(file, `its data format is ${hd.dataFormat} (0 int16 or 1 float32 expected)`);
  if (!(hd.sampleRate_Hz > 0 && Number.isFinite(hd.sampleRate_Hz))) throw corrupt(file, `its sampling rate is ${hd.sampleRate_Hz} Hz`);
  if (!(hd.sweepPointCount >= 1)) throw corrupt(file, `it holds ${hd.dataPointCount} samples for ${hd.sweepCount} sweeps`);
  const bytes = hd.dataPointCount * (hd.dataFormat === 0 ? 2 : 4);
  if (hd.dataByteStart + bytes > src.size)
    throw corrupt(
      file,
      `its data (${hd.dataPointCount} samples from byte ${hd.dataByteStart}) run past the end of the file (${src.size} bytes): truncated?`,
    );
  if (hd.gain.some((g) => !Number.isFinite(g)) || hd.offset.some((o) => !Number.isFinite(o)))
    throw corrupt(file, "its channel scaling factors are not finite");
  return hd;
}

/** One sweep of one channel (0-based), scaled to the channel's units, time in ms from the sweep start. */
export function readAbfSweep(src: ByteSource, hd: AbfHeader, sweep: number, channel = 0): { t_ms: Float64Array; y: Float64Array } {
  const n = hd.sweepPointCount;
  const c = hd.channelCount;
  const size = hd.dataFormat === 0 ? 2 : 4;
  const bytes = src.read(hd.dataByteStart + sweep * n * c * size, n * c * size);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const y = new Float64Array(n);
  const g = hd.gain[channel] as number;
  const o = hd.offset[channel] as number;
  if (size === 2) for (let k = 0; k < n; k++) y[k] = view.getInt16((k * c + channel) * 2, true) * g + o;
  else for (let k = 0; k < n; k++) y[k] = view.getFloat32((k * c + channel) * 4, true);
  const t_ms = new Float64Array(n);
  for (let k = 0; k < n; k++) t_ms[k] = (k * 1000) / hd.sampleRate_Hz;
  return { t_ms, y };
}

/**
 * The command waveform's step epochs in sweep k as pyABF builds them: epochs start after a pre-epoch of
 * sweepPointCount/64 samples, each lasting duration + k·durationDelta samples at level + k·levelDelta.
 */
export function abfEpochsOfSweep(hd: AbfHeader, k: number): { type: number; start: number; stop: number; level: number }[] {
  let at = Math.trunc(hd.sweepPointCount / 64);
  return hd.epochs.map((e) => {
    const start = at;
    at += e.duration + e.durationDelta * k;
    return { type: e.type, start, stop: at, level: e.level + e.levelDelta * k };
  });
}

/** A voltage channel's sweeps as `Sweep`s (mV), with the step each sweep's command applied (if the protocol has one). */
export function abfVoltageSweep(src: ByteSource, hd: AbfHeader, k: number, channel: number): Sweep {
  const { t_ms, y } = readAbfSweep(src, hd, k, channel);
  const unit = hd.adcUnits[channel];
  const scale = unit === "mV" ? 1 : unit === "V" ? 1000 : unit === "uV" ? 1e-3 : Number.NaN;
  if (Number.isNaN(scale))
    throw new InvalidArgumentError(`channel ${channel} of the ABF file must record a voltage (mV or V); its unit is ${show(unit)}`);
  if (scale !== 1) for (let i = 0; i < y.length; i++) y[i] = (y[i] as number) * scale;
  const stimulus = abfStepOfSweep(hd, k);
  return stimulus ? { t_ms, V_mV: y, name: `sweep ${k}`, stimulus } : { t_ms, V_mV: y, name: `sweep ${k}` };
}

/**
 * The current step of sweep k: the step epoch whose level changes from sweep to sweep (an f–I or I–V
 * protocol), else the step epoch farthest from the holding level; none when the command has no step.
 */
export function abfStepOfSweep(hd: AbfHeader, k: number): SweepStimulus | undefined {
  const steps = abfEpochsOfSweep(hd, k)
    .map((e, i) => ({ ...e, delta: hd.epochs[i]?.levelDelta ?? 0 }))
    .filter((e) => e.type === 1 && e.stop > e.start);
  if (steps.length === 0) return undefined;
  const varying = steps.find((e) => e.delta !== 0);
  const hold = Number.isNaN(hd.holding) ? 0 : hd.holding;
  const pick = varying ?? steps.reduce((a, b) => (Math.abs(b.level - hold) > Math.abs(a.level - hold) ? b : a));
  if (!varying && pick.level === hold) return undefined;
  return {
    start_ms: (pick.start * 1000) / hd.sampleRate_Hz,
    stop_ms: (pick.stop * 1000) / hd.sampleRate_Hz,
    amplitude: pick.level,
    unit: hd.dacUnits[0] ?? "",
  };
}

#!/usr/bin/env python3
"""Runs a spikelab NMODL cell file (JSON) in NEURON and writes the reference that test/nmodl-neuron.test.ts checks.

    /usr/bin/python3 scripts/nmodl-neuron.py CELL.json OUT.json [--amplitude 4] [--start-ms 200] [--stop-ms 900] [--duration-ms 1000]
    /usr/bin/python3 scripts/nmodl-neuron.py --cases CASES.json OUT.json     # each .mod of CASES.json alone with pas

Needs Debian's NEURON (apt-get install neuron python3-neuron neuron-dev). The .mod files named by the cell are
compiled with nrnivmodl in a temporary folder; Debian's nrnivmodl looks for /usr/bin/nrnmech_makefile, which the
package installs under /usr/lib/nrn/, so the script points NRNHOME_EXEC at a folder of links instead of changing /usr.

The cell is one cylinder of 1000 µm² (L = diam), so a current density of A µA/cm² is an IClamp of A·0.01 nA.
NEURON integrates with CVODE (atol 1e-10, rtol 0 as NEURON's own reference for hh, threshold crossings of 0 mV
located with condition_order 2); the cell's parameters use NEURON's hoc names and units unchanged.
"""
import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile


def build(mods, folder):
    links = tempfile.mkdtemp()
    os.mkdir(os.path.join(links, "bin"))
    for f in ["/usr/bin/nocmodl", "/usr/bin/modlunit", "/usr/lib/nrn/nrnmech_makefile", "/usr/lib/nrn/mkthreadsafe"] + [
        os.path.join("/usr/bin", x) for x in os.listdir("/usr/bin") if x.startswith("nrn")
    ]:
        # once per name: where /usr/bin/nrnmech_makefile has been linked by hand, it is also found among /usr/bin/nrn*
        if os.path.exists(f) and not os.path.lexists(os.path.join(links, "bin", os.path.basename(f))):
            os.symlink(f, os.path.join(links, "bin", os.path.basename(f)))
    os.symlink("/usr/lib", os.path.join(links, "lib"))
    for m in mods:
        shutil.copy(m, folder)
    env = dict(os.environ, NRNHOME_EXEC=links)
    # the `special` executable fails to link on Debian; the shared library, which is all Python needs, is built first
    subprocess.run(["nrnivmodl", "-loadflags", "-L/usr/lib/nrn -Wl,-rpath,/usr/lib/nrn", "."], cwd=folder, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lib = os.path.join(folder, "x86_64", "libnrnmech.so")
    if not os.path.exists(lib):
        sys.exit(f"nrnivmodl did not build {lib}")
    return lib


def record_spikes(h, seg, sec):
    """CVODE as NEURON's own reference for hh (atol 1e-10, rtol 0) with threshold crossings of 0 mV located
    (condition_order 2); returns the vector that records the spike times and its NetCon (keep both alive)."""
    h.cvode_active(1)
    h.cvode.atol(1e-10)
    h.cvode.rtol(0)
    h.cvode.condition_order(2)
    times = h.Vector()
    nc = h.NetCon(seg._ref_v, None, sec=sec)
    nc.threshold = 0
    nc.record(times)
    return times, nc


def simulate(h, lib_loaded, cell, protocol, sample_ms):
    """One cell (the spikelab cell-file fields) under a step current; returns (area, spike times, V samples)."""
    sec = h.Section(name="soma")
    sec.L = sec.diam = math.sqrt(1000 / math.pi)
    sec.nseg = 1
    sec.cm = cell.get("cm_uF_per_cm2", 1)
    for m in cell["insert"]:
        sec.insert(m)
    seg = sec(0.5)
    for m in cell["insert"]:
        # spikelab computes rates exactly: switch NEURON's TABLE interpolation off where a mechanism has one
        if hasattr(h, f"usetable_{m}"):
            setattr(h, f"usetable_{m}", 0)
    for k, v in cell.get("parameters", {}).items():
        if k[0] == "e" and "_" not in k and not hasattr(seg, k):
            continue  # a reversal potential of an ion this cell does not use (spikelab ignores it too)
        setattr(seg, k, v)
    h.celsius = cell.get("celsius", 6.3)
    area_um2 = seg.area()
    stim = h.IClamp(seg)
    stim.delay = protocol["start_ms"]
    stim.dur = protocol["stop_ms"] - protocol["start_ms"]
    stim.amp = protocol["amplitude_uA_per_cm2"] * area_um2 * 1e-8 * 1e3  # µA/cm² × cm² → µA → nA
    times, nc = record_spikes(h, seg, sec)
    tv = h.Vector().record(seg._ref_v, sample_ms)  # CVODE interpolates to the record times
    h.finitialize(protocol["V0_mV"])
    h.continuerun(protocol["duration_ms"])
    out = (area_um2, stim.amp, list(times), list(tv))
    del nc, stim, sec
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cell", help="a cell file, or with --cases a list of single-mechanism cases")
    ap.add_argument("out")
    ap.add_argument("--cases", action="store_true", help="cell is a cases file: each .mod alone with pas")
    ap.add_argument("--amplitude", type=float, default=4.0, help="µA/cm²")
    ap.add_argument("--start-ms", type=float, default=200.0)
    ap.add_argument("--stop-ms", type=float, default=900.0)
    ap.add_argument("--duration-ms", type=float, default=1000.0)
    a = ap.parse_args()
    a.out = os.path.abspath(a.out)
    spec = json.load(open(a.cell))
    here = os.path.dirname(os.path.abspath(a.cell))
    os.chdir(tempfile.mkdtemp())  # so that NEURON does not load a mechanism folder of the working directory
    import neuron
    from neuron import h
    h.load_file("stdrun.hoc")
    method = "CVODE, atol 1e-10, rtol 0, condition_order 2 (threshold crossings interpolated by CVODE), TABLEs off (usetable_<suffix> = 0)"
    if a.cases:
        # each case in a NEURON process of its own: two files may share a SUFFIX
        if os.environ.get("NMODL_CASE"):
            case = next(c for c in spec["cases"] if c["name"] == os.environ["NMODL_CASE"])
            h.nrn_load_dll(build([os.path.join(here, case["file"])], tempfile.mkdtemp()))
            cell = {"celsius": case["celsius"], "insert": [case["suffix"], "pas"],
                    "parameters": dict(spec["parameters"], **case.get("parameters", {}))}
            area, amp, times, v = simulate(h, True, cell, spec["protocol"], spec["protocol"]["sample_ms"])
            json.dump({"spike_times_ms": times, "v_trace_mV": v, "area_um2": area, "iclamp_nA": amp}, open(a.out, "w"))
            return
        results = {}
        for case in spec["cases"]:
            part = os.path.join(tempfile.mkdtemp(), "case.json")
            subprocess.run([sys.executable, os.path.abspath(__file__), "--cases", os.path.join(here, os.path.basename(a.cell)), part],
                           env=dict(os.environ, NMODL_CASE=case["name"]), check=True)
            results[case["name"]] = json.load(open(part))
            print(case["name"], len(results[case["name"]]["spike_times_ms"]), "spikes")
        out = {"description": "NEURON reference for each .mod file of " + os.path.basename(a.cell) + " alone with pas",
               "made_by": "scripts/nmodl-neuron.py --cases " + " ".join(sys.argv[2:]) if not os.environ.get("NMODL_CASE") else "",
               "neuron_version": neuron.__version__, "method": method, "protocol": spec["protocol"],
               "parameters": spec["parameters"], "results": results}
        with open(a.out, "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")
        return
    cell = spec
    lib = build([os.path.join(here, m) for m in cell["mechanisms"]], tempfile.mkdtemp())
    h.nrn_load_dll(lib)
    protocol = {"V0_mV": cell["v0_mV"], "amplitude_uA_per_cm2": a.amplitude, "start_ms": a.start_ms,
                "stop_ms": a.stop_ms, "duration_ms": a.duration_ms}
    area_um2, amp, times, v = simulate(h, True, cell, protocol, 1.0)
    out = {
        "description": f"NEURON reference for the spikelab NMODL cell {os.path.basename(a.cell)}",
        "made_by": "scripts/nmodl-neuron.py " + " ".join(sys.argv[1:]),
        "neuron_version": neuron.__version__,
        "method": method,
        "cell": os.path.basename(a.cell),
        "area_um2": area_um2,
        "celsius": h.celsius,
        "protocol": dict(protocol, iclamp_nA=amp),
        "spike_threshold_mV": 0,
        "spike_times_ms": times,
        "v_trace_dt_ms": 1.0,
        "v_trace_mV": v,
    }
    with open(a.out, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print(f"{len(times)} spikes; NEURON {neuron.__version__}; written {a.out}")


if __name__ == "__main__":
    main()

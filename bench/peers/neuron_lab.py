"""The lab model in NEURON 8.2 (Debian): N single-compartment cells with the labhh mechanism
(neuron_mod/labhh.mod, compiled by nrnivmodl), NEURON's fixed-step backward Euler, dt 0.025 ms,
200 ms, step on [50, 200) ms. Timed: the run loop (`run_s`) and the whole process (`wall_s`).
    cd bench/peers/neuron_mod && nrnivmodl && cd - && /usr/bin/python3 bench/peers/neuron_lab.py N"""
import json
import math
import os
import sys
import time

t_start = time.perf_counter()
from neuron import h  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
h.nrn_load_dll(os.path.join(here, "neuron_mod", "x86_64", "libnrnmech.so"))
h.load_file("stdrun.hoc")
N = int(sys.argv[1]) if len(sys.argv) > 1 else 51
cells, clamps, counters = [], [], []
area_cm2 = 1e-6  # 100 µm²: 1 µA/cm² = 1e-3 nA
for i in range(N):
    s = h.Section(name=f"c{i}")
    s.L = s.diam = math.sqrt(100 / math.pi)
    s.cm = 1
    s.insert("labhh")
    c = h.IClamp(s(0.5))
    c.delay, c.dur = 50, 150
    c.amp = (10 * i / (N - 1) if N > 1 else 0) * area_cm2 * 1e3
    nc = h.NetCon(s(0.5)._ref_v, None, sec=s)
    nc.threshold = 0
    times = h.Vector()
    nc.record(times)
    cells.append(s), clamps.append(c), counters.append((nc, times))
h.dt = 0.025
h.secondorder = 0
h.finitialize(-65)
t0 = time.perf_counter()
h.continuerun(200)
run_s = time.perf_counter() - t0
out = {"peer": "NEURON " + h.nrnversion(5), "N": N, "method": "backward Euler (fixed step)", "wall_s": time.perf_counter() - t_start, "run_s": run_s}
if N == 51:
    out["spike_counts"] = [int(t.size()) for _, t in counters]
print(json.dumps(out))

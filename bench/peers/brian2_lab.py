"""The lab model in Brian2 2.5 (Debian python3-brian): N neurons, forward Euler, dt 0.025 ms.
    /usr/bin/python3 bench/peers/brian2_lab.py TARGET N [THREADS] [METHOD] [DT_MS] [VARY]
(METHOD: a Brian2 state updater, default euler, e.g. rk4; DT_MS default 0.025; VARY: what differs between the
neurons, `amplitude` (default, see below) or `gNa`: gNa = 30 + 0.0004·i mS/cm² for neuron i (as
`spikelab sweep --param gNa=30:…:0.0004`), every neuron at 10 µA/cm², so no two neurons share a state.)
TARGET: cython (runtime, warm cache after the first run) or cpp_standalone (C++ built once per (N, THREADS)
in $TMPDIR/spikelab-bench-brian2/, later runs reuse the binary; `run_s` is the binary's run, `sim_s` the
simulation loop as Brian2 measures it, `build_s` code generation + make, `wall_s` the whole Python process
from its first line). N = 51 runs the lab's f–I
amplitudes; larger N spreads amplitudes 0..10 uniformly. Prints one JSON line."""
import json
import os
import resource
import sys
import tempfile
import time

t_start = time.perf_counter()
import brian2 as b2  # noqa: E402

target = sys.argv[1] if len(sys.argv) > 1 else "cython"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 51
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 1
method = sys.argv[4] if len(sys.argv) > 4 else "euler"
dt_ms = float(sys.argv[5]) if len(sys.argv) > 5 else 0.025
vary = sys.argv[6] if len(sys.argv) > 6 else "amplitude"
if vary not in ("amplitude", "gNa"):
    sys.exit(f"VARY must be amplitude or gNa; got {vary!r}")
# C++ standalone: one project directory per (N, threads), kept between runs, so that after the first run
# Brian2 rewrites no source file and `make` compiles nothing (the "prebuilt binary" case); build_s says.
if target == "cpp_standalone":
    tag = "" if (method, dt_ms) == ("euler", 0.025) else f"-{method}-dt{dt_ms}"
    tag += "" if vary == "amplitude" else f"-{vary}"
    directory = os.path.join(tempfile.gettempdir(), "spikelab-bench-brian2", f"N{N}-t{threads}{tag}")
    os.makedirs(directory, exist_ok=True)
else:
    directory = tempfile.mkdtemp(prefix="brian2-lab-")
if target == "cpp_standalone":
    b2.set_device("cpp_standalone", directory=directory, build_on_run=False)
    if threads > 1:
        b2.prefs.devices.cpp_standalone.openmp_threads = threads
else:
    b2.prefs.codegen.target = target
b2.defaultclock.dt = dt_ms * b2.ms

eqs = """
dv/dt = (I_amp*int(t >= 50*ms)*int(t < 200*ms) - gNa*m**3*h*(v-ENa) - gK*n**4*(v-EK) - gL*(v-EL))/Cm : volt
dm/dt = alpha_m*(1-m) - beta_m*m : 1
dh/dt = alpha_h*(1-h) - beta_h*h : 1
dn/dt = alpha_n*(1-n) - beta_n*n : 1
alpha_m = 0.32/mV*(v+54*mV)/(1-exp(-(v+54*mV)/(4*mV)))/ms : Hz
beta_m = 0.28/mV*(v+27*mV)/(exp((v+27*mV)/(5*mV))-1)/ms : Hz
alpha_h = 0.128*exp(-(v+50*mV)/(18*mV))/ms : Hz
beta_h = 4/(1+exp(-(v+27*mV)/(5*mV)))/ms : Hz
alpha_n = 0.032/mV*(v+52*mV)/(1-exp(-(v+52*mV)/(5*mV)))/ms : Hz
beta_n = 0.5*exp(-(v+57*mV)/(40*mV))/ms : Hz
I_amp : amp/meter**2
""" + ("gNa : siemens/meter**2\n" if vary == "gNa" else "")
ns = dict(
    Cm=1 * b2.ufarad / b2.cm**2, gK=10 * b2.msiemens / b2.cm**2,
    gL=0.1 * b2.msiemens / b2.cm**2, ENa=50 * b2.mV, EK=-90 * b2.mV, EL=-65 * b2.mV,
)
if vary == "amplitude":
    ns["gNa"] = 50 * b2.msiemens / b2.cm**2
G = b2.NeuronGroup(N, eqs, method=method, threshold="v > 0*mV", refractory="v > 0*mV", namespace=ns)
G.v = -65 * b2.mV
v0 = -65.0
import numpy as np  # noqa: E402

def ab(a, b):
    return a / (a + b)
am = 0.32 * (v0 + 54) / (1 - np.exp(-(v0 + 54) / 4)); bm = 0.28 * (v0 + 27) / (np.exp((v0 + 27) / 5) - 1)
ah = 0.128 * np.exp(-(v0 + 50) / 18); bh = 4 / (1 + np.exp(-(v0 + 27) / 5))
an = 0.032 * (v0 + 52) / (1 - np.exp(-(v0 + 52) / 5)); bn = 0.5 * np.exp(-(v0 + 57) / 40)
G.m, G.h, G.n = ab(am, bm), ab(ah, bh), ab(an, bn)
if vary == "gNa":
    G.gNa = (30 + 0.0004 * np.arange(N)) * b2.msiemens / b2.cm**2
    G.I_amp = 10 * b2.uA / b2.cm**2
else:
    G.I_amp = np.linspace(0, 10, N) * b2.uA / b2.cm**2
S = b2.SpikeMonitor(G, record=False)
t_build = time.perf_counter()
b2.run(200 * b2.ms, report=None)
if target == "cpp_standalone":
    b2.device.build(directory=directory, compile=True, run=False)
    t_bin = time.perf_counter()
    build_s = t_bin - t_build
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    b2.device.run(directory, False, [])
    run_s = time.perf_counter() - t_bin
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    run_cpu_s = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
else:
    run_s = time.perf_counter() - t_build
counts = [int(c) for c in S.count[:]]
out = {"peer": f"Brian2 {b2.__version__} {target}", "N": N, "vary": vary, "threads": threads, "method": method, "dt_ms": dt_ms, "wall_s": time.perf_counter() - t_start, "run_s": run_s}
if target == "cpp_standalone":
    out["sim_s"] = float(b2.device._last_run_time)
    out["build_s"] = build_s
    out["run_cpu_s"] = run_cpu_s  # CPU seconds of the binary (user + system, all its threads)
if N == 51 or vary == "gNa":
    out["spike_counts"] = counts
print(json.dumps(out))

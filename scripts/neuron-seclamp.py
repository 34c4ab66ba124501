#!/usr/bin/env python3
"""
Voltage clamp of NEURON's built-in hh mechanism (Hodgkin & Huxley 1952) with SEClamp, the reference for
spikelab's voltageClamp on the hh1952 model: peak I_Na and steady-state I_K at each test potential.

    /usr/bin/python3 scripts/neuron-seclamp.py > test/fixtures/neuron/hh1952-seclamp.json

Needs Debian's python3-neuron (NEURON 8.2). One compartment (L = diam = 10 um, so no axial current), hh at
celsius 6.3 (the model's reference temperature: rates unscaled), hh's defaults (gnabar 0.12, gkbar 0.036,
gl 0.0003 S/cm2, ena 50, ek -77, el -54.3 mV); SEClamp rs 1e-3 MOhm (the membrane follows the command within
microseconds); holding -65 mV for 50 ms (gates at their steady state there), then 20 ms at the test potential.
Fixed step dt 0.001 ms (cnexp gates: exact for a held V), secondorder 0. Currents are ina, ik of the section
(mA/cm2) x 1000 = uA/cm2, outward positive: the peak is the sample of largest magnitude during the step, the
steady state the last sample of the step.
"""
import json
import sys

from neuron import h

h.load_file("stdrun.hoc")
HOLD, STEP_START, STEP_MS, DT = -65.0, 50.0, 20.0, 0.001
STEPS = [-60, -50, -40, -30, -20, -10, 0, 10, 20, 30, 40, 50, 60]

soma = h.Section(name="soma")
soma.L = soma.diam = 10
soma.insert("hh")
h.celsius = 6.3
clamp = h.SEClamp(soma(0.5))
clamp.rs = 1e-3
clamp.dur1, clamp.dur2, clamp.dur3 = STEP_START, STEP_MS, 1
clamp.amp1, clamp.amp3 = HOLD, HOLD
t = h.Vector().record(h._ref_t)
ina = h.Vector().record(soma(0.5)._ref_ina)
ik = h.Vector().record(soma(0.5)._ref_ik)
h.dt = DT
h.steps_per_ms = 1 / DT
h.secondorder = 0

peak_na, steady_k = [], []
for v in STEPS:
    clamp.amp2 = v
    h.finitialize(HOLD)
    h.continuerun(STEP_START + STEP_MS)
    tt = list(t)
    na = [1000 * x for x in ina]
    k = [1000 * x for x in ik]
    during = [i for i, x in enumerate(tt) if STEP_START < x <= STEP_START + STEP_MS]
    peak = max((na[i] for i in during), key=abs)
    peak_na.append(peak)
    steady_k.append(k[during[-1]])

json.dump(
    {
        "provenance": {
            "made_by": "scripts/neuron-seclamp.py",
            "simulator": f"NEURON {h.nrnversion(5)} (Debian python3-neuron), built-in hh mechanism, SEClamp",
            "settings": {"holding_mV": HOLD, "hold_ms": STEP_START, "step_ms": STEP_MS, "dt_ms": DT, "celsius": 6.3, "rs_MOhm": 1e-3},
        },
        "steps_mV": STEPS,
        "peak_I_Na_uA_per_cm2": peak_na,
        "steady_I_K_uA_per_cm2": steady_k,
    },
    sys.stdout,
    indent=1,
)
sys.stdout.write("\n")

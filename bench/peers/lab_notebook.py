"""The lab notebook's own code (experiment 2: 51 step currents, forward Euler, dt 0.025 ms),
verbatim but for the plotting, timed. Run with Debian's python3 + python3-numpy:
    /usr/bin/python3 bench/peers/lab_notebook.py
Prints one JSON line: wall time and the 51 counts."""
import json
import time

import numpy as np


def euler_integrate(derivs, x0, t):
    x = np.empty((len(t), len(x0)))
    x[0] = x0
    for k in range(len(t) - 1):
        dt = t[k + 1] - t[k]
        x[k + 1] = x[k] + dt * derivs(t[k], x[k])
    return x


def alpha_m(V):
    return 0.32 * (V + 54) / (1 - np.exp(-(V + 54) / 4))


def beta_m(V):
    return 0.28 * (V + 27) / (np.exp((V + 27) / 5) - 1)


def alpha_h(V):
    return 0.128 * np.exp(np.clip(-(V + 50) / 18, -500, 500))


def beta_h(V):
    return 4 / (1 + np.exp(np.clip(-(V + 27) / 5, -500, 500)))


def alpha_n(V):
    return 0.032 * (V + 52) / (1 - np.exp(-(V + 52) / 5))


def beta_n(V):
    return 0.5 * np.exp(np.clip(-(V + 57) / 40, -500, 500))


def tau_x(V, a, b):
    return 1 / (a(V) + b(V))


def x_inf(V, a, b):
    return a(V) / (a(V) + b(V))


def hh_derivatives(p, I):
    def derivs(t, x):
        V, m, h, n = x
        dm = -1 / tau_x(V, alpha_m, beta_m) * (m - x_inf(V, alpha_m, beta_m))
        dh = -1 / tau_x(V, alpha_h, beta_h) * (h - x_inf(V, alpha_h, beta_h))
        dn = -1 / tau_x(V, alpha_n, beta_n) * (n - x_inf(V, alpha_n, beta_n))
        INa = p["gNa"] * m**3 * h * (V - p["ENa"])
        IK = p["gK"] * n**4 * (V - p["EK"])
        IL = p["gL"] * (V - p["EL"])
        return np.array([(I(t) - INa - IK - IL) / p["Cm"], dm, dh, dn])

    return derivs


def simulate_hh(p, I, T=200.0, dt=0.025, v0=-65.0):
    t = np.arange(0.0, T + dt, dt)
    x0 = np.array([v0, x_inf(v0, alpha_m, beta_m), x_inf(v0, alpha_h, beta_h), x_inf(v0, alpha_n, beta_n)])
    traj = euler_integrate(hh_derivatives(p, I), x0, t)
    return traj[:, 0]


params = dict(Cm=1.0, gNa=50.0, gK=10.0, gL=0.1, ENa=50.0, EK=-90.0, EL=-65.0)
t0 = time.perf_counter()
counts = []
for amp in np.linspace(0.0, 10.0, 51):
    I = lambda t, amp=amp: amp if 50.0 <= t < 200.0 else 0.0
    V = simulate_hh(params, I, 200.0)
    counts.append(int(np.sum((V[:-1] < 0) & (V[1:] > 0))))
print(json.dumps({"peer": "lab notebook (numpy)", "wall_s": time.perf_counter() - t0, "spike_counts": counts}))

: The lab notebook's HH model (Traub-Miles-type rates) for NEURON, for the spikelab benchmark.
: vtrap guards the 0/0 as hh.mod does. Conductances in S/cm2 (gNa 50, gK 10, gL 0.1 mS/cm2).
NEURON {
  SUFFIX labhh
  NONSPECIFIC_CURRENT i
  RANGE gnabar, gkbar, gl, ena, ek, el
}
UNITS { (mA) = (milliamp) (mV) = (millivolt) (S) = (siemens) }
PARAMETER {
  gnabar = 0.05 (S/cm2)
  gkbar = 0.01 (S/cm2)
  gl = 0.0001 (S/cm2)
  ena = 50 (mV)
  ek = -90 (mV)
  el = -65 (mV)
}
STATE { m h n }
ASSIGNED { v (mV) i (mA/cm2) minf hinf ninf mtau (ms) htau (ms) ntau (ms) }
BREAKPOINT {
  SOLVE states METHOD cnexp
  i = gnabar*m*m*m*h*(v - ena) + gkbar*n*n*n*n*(v - ek) + gl*(v - el)
}
INITIAL { rates(v) m = minf h = hinf n = ninf }
DERIVATIVE states {
  rates(v)
  m' = (minf - m)/mtau
  h' = (hinf - h)/htau
  n' = (ninf - n)/ntau
}
PROCEDURE rates(v (mV)) { LOCAL a, b
  UNITSOFF
  a = 0.32*vtrap(-(v + 54), 4)  b = 0.28*vtrap(v + 27, 5)  mtau = 1/(a + b)  minf = a*mtau
  a = 0.128*exp(-(v + 50)/18)   b = 4/(1 + exp(-(v + 27)/5)) htau = 1/(a + b)  hinf = a*htau
  a = 0.032*vtrap(-(v + 52), 5) b = 0.5*exp(-(v + 57)/40)    ntau = 1/(a + b)  ninf = a*ntau
  UNITSON
}
FUNCTION vtrap(x, y) {
  if (fabs(x/y) < 1e-6) { vtrap = y*(1 - x/y/2) } else { vtrap = x/(exp(x/y) - 1) }
}

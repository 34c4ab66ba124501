#!/usr/bin/env bash
# Installs the peer simulators for bench/peers (Debian packages; root) and builds the NEURON mechanism.
set -euo pipefail
cd "$(dirname "$0")"
if ! /usr/bin/python3 -c "import brian2, neuron, numpy" 2>/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy python3-brian cython3 python3-dev g++ neuron python3-neuron neuron-dev >/dev/null
fi
# Debian's nrnivmodl looks for the makefile under /usr/bin
[ -e /usr/bin/nrnmech_makefile ] || ln -s /usr/lib/nrn/nrnmech_makefile /usr/bin/nrnmech_makefile
# the mechanism library links against /usr/lib/nrn; the `special` binary fails on Debian (no ivstream.h) and is not needed
(cd neuron_mod && rm -rf x86_64 && LIBRARY_PATH=/usr/lib/nrn nrnivmodl >/dev/null 2>&1 || true)
[ -f neuron_mod/x86_64/libnrnmech.so ] || { echo "nrnivmodl failed to build neuron_mod/x86_64/libnrnmech.so" >&2; exit 1; }
echo "peers ready: numpy, Brian2 $(/usr/bin/python3 -c 'import brian2; print(brian2.__version__)' 2>/dev/null), NEURON $(/usr/bin/python3 -c 'from neuron import h; print(h.nrnversion(5))' 2>/dev/null)"

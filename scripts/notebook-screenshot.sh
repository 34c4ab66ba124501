#!/usr/bin/env bash
# docs/notebook-lab3.png: the top of the executed lab notebook (the model and experiment 1 with its annotated figure),
# as GitHub or JupyterLab shows it: nbconvert to HTML, then a screenshot by Debian's headless chromium.
# Run `npm run notebooks` first (it writes the outputs); needs jupyter-nbconvert and chromium from Debian.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 -m nbconvert --to html examples/lab3.ipynb --output-dir "$tmp" --log-level WARN
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --hide-scrollbars --force-device-scale-factor=1 \
  --window-size="${WIDTH:-1240},${HEIGHT:-3300}" --screenshot="$tmp/lab3.png" "file://$tmp/lab3.html" 2>/dev/null
mkdir -p docs
cp "$tmp/lab3.png" docs/notebook-lab3.png
echo "docs/notebook-lab3.png written"

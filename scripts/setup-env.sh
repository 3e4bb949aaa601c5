#!/usr/bin/env bash
# Prepare this checkout to run: the system libraries Qt needs, a virtual environment in .venv,
# and the Python packages from pyproject.toml. Quiet and quick when everything is already there.
# Usage: source scripts/setup-env.sh [test]
set -euo pipefail

PD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PD_VENV="${PD_VENV:-$PD_ROOT/.venv}"
PD_EXTRA="${1:-}"

# Qt's platform plugins (offscreen and X11), fonts with Cyrillic and Kazakh, Xvfb for
# screenshots, poppler for looking at PDFs, python3-venv for the virtual environment.
PD_APT_PACKAGES=(
  python3 python3-venv python3-pip
  libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libxkbcommon0
  fonts-dejavu-core xvfb xauth libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0
  libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0 poppler-utils
)

# The tests start a private PostgreSQL server for office sharing.
if [ "$PD_EXTRA" = "test" ]; then
  PD_APT_PACKAGES+=(postgresql)
fi

pd_missing_apt() {
  local pkg
  for pkg in "${PD_APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      echo "$pkg"
    fi
  done
}

if command -v dpkg-query >/dev/null 2>&1; then
  mapfile -t missing < <(pd_missing_apt)
  if ((${#missing[@]})); then
    echo "Installing system packages: ${missing[*]}" >&2
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
fi

PD_PYTHON="${PD_PYTHON:-python3}"
if ! "$PD_PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "Protocol Desk needs Python 3.11 or newer; $("$PD_PYTHON" --version) found." >&2
  exit 1
fi
if [ ! -x "$PD_VENV/bin/python" ]; then
  echo "Creating the virtual environment in $PD_VENV" >&2
  "$PD_PYTHON" -m venv "$PD_VENV"
fi

# Reinstall only when the dependencies changed.
stamp="$PD_VENV/.installed-$PD_EXTRA"
wanted="$(sha256sum "$PD_ROOT/pyproject.toml" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "Installing Python packages (first run takes a minute)" >&2
  "$PD_VENV/bin/python" -m pip install -q --upgrade pip >/dev/null
  target="$PD_ROOT"
  [ -n "$PD_EXTRA" ] && target="$PD_ROOT[$PD_EXTRA]"
  "$PD_VENV/bin/python" -m pip install -q -e "$target"
  echo "$wanted" >"$stamp"
fi
export PATH="$PD_VENV/bin:$PATH"

# The translations: each language's catalog compiled (.po → .mo) when its text changed.
for pd_po in "$PD_ROOT"/protocol_desk/locale/*/LC_MESSAGES/protocol_desk.po; do
  pd_mo="${pd_po%.po}.mo"
  if [ ! -f "$pd_mo" ] || [ "$pd_po" -nt "$pd_mo" ]; then
    "$PD_VENV/bin/pybabel" -q compile -i "$pd_po" -o "$pd_mo"
  fi
done

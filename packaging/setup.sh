#!/usr/bin/env bash
# Sets Tsuzuki up in ./.venv on Debian or Ubuntu: the system libraries Qt needs (only those
# missing, through apt-get, with sudo when not root), then the Python package and its
# dependencies. With --test it also installs what the test suite needs (Xvfb, pytest, pytest-qt,
# a tray host for the tray test: trayer + xdotool, dbus-daemon for the desktop-notification
# tests, the real torrent clients the tests run on 127.0.0.1: transmission-daemon,
# qbittorrent-nox; and for the installer's build and its checks: binutils, patchelf, lintian,
# desktop-file-utils, appstream).
# usage: packaging/setup.sh [--test]
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=false
case "${1:-}" in
  --test) with_tests=true ;;
  "") ;;
  *) echo "usage: packaging/setup.sh [--test]" >&2; exit 2 ;;
esac

# Qt's platform plugins (offscreen and xcb) load these at run time.
packages=(libgl1 libegl1 libfontconfig1 libxkbcommon0 libdbus-1-3 libglib2.0-0
          libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
          libxcb-shape0 libxkbcommon-x11-0)
$with_tests && packages+=(xvfb xauth trayer xdotool dbus transmission-daemon qbittorrent-nox
                          binutils patchelf lintian desktop-file-utils appstream)
python3 -c 'import ensurepip, venv' 2>/dev/null || packages+=(python3-venv)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || { echo "Tsuzuki needs Python 3.11 or newer; python3 is $(python3 -V)" >&2; exit 1; }
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
# Editable, so the app finds resources/ (icons, translations) beside its code in this checkout.
if $with_tests; then
  .venv/bin/python -m pip install --quiet -e ".[test]"
else
  .venv/bin/python -m pip install --quiet -e .
fi

# The translations the app loads (.qm) are compiled from their sources (.ts), not committed.
for source in resources/translations/*.ts; do
  .venv/bin/pyside6-lrelease -silent "$source" -qm "${source%.ts}.qm"
done

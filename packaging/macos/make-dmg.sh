#!/usr/bin/env bash
# Tsuzuki's macOS app and disk image, from a checkout set up with packaging/setup.sh --test's
# Python packages (PyInstaller) plus Pillow, which turns the icon's PNG into an .icns.
# Not run on the Linux machine this project is built on: untested.
# usage: packaging/macos/make-dmg.sh   ->  dist/Tsuzuki.app, dist/Tsuzuki-VERSION.dmg
set -euo pipefail
cd "$(dirname "$0")/../.."
.venv/bin/python -m pip install --quiet pillow
.venv/bin/python packaging/build.py   # on macOS the spec's BUNDLE step makes dist/Tsuzuki.app
version=$(.venv/bin/python -c 'from importlib.metadata import version; print(version("tsuzuki"))')
hdiutil create -volname Tsuzuki -srcfolder dist/Tsuzuki.app -ov -format UDZO "dist/Tsuzuki-$version.dmg"

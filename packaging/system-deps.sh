#!/usr/bin/env bash
# Installs the Debian packages the app and its GL tests need, if any is missing.
# Qt's xcb plugin needs the xcb libraries; OpenGL under Xvfb needs Mesa; the UI tests
# send real input through XTEST (libXtst).
# The package smoke test (tests/packaging) builds and checks the .deb: PyInstaller
# reads libraries with objdump (binutils); the checks need lintian,
# desktop-file-validate, appstreamcli and update-mime-database.
set -euo pipefail
pkgs=(xvfb xauth libgl1 libgl1-mesa-dri libglx-mesa0 libegl1 libopengl0
      libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
      libxcb-xinerama0 libxcb-randr0 libxcb-shape0 libxcb-xkb1 libxcb-cursor0
      libxkbcommon-x11-0 libx11-6 libxtst6 libfontconfig1 libdbus-1-3 fonts-dejavu-core
      binutils dpkg lintian desktop-file-utils appstream shared-mime-info)
command -v dpkg-query >/dev/null || { echo "system-deps: not a Debian system; install Xvfb, Mesa and the xcb libraries yourself" >&2; exit 0; }
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "system-deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

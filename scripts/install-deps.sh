#!/usr/bin/env bash
# Installs, with apt-get, only the Debian 12 packages faultline needs that are missing,
# and any further packages named as arguments (scripts/install-fuzz-deps.sh names clang's).
set -euo pipefail

packages=(
  g++ cmake make
  libboost-dev libspdlog-dev librapidcheck-dev libgtest-dev nlohmann-json3-dev libcli11-dev
  libssl-dev
  # The reports' browser test (tests/report/browser_test.py): headless Chromium driven over
  # its DevTools pipe by a Python script, and a font for its screenshots.
  chromium python3 fonts-dejavu-core
  "$@"
)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: every package is already installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Makes sure the Debian packages the test suite needs are installed (README: `npm test` runs this first).
#   libengine-gost-openssl — GOST signatures for ЕСИА;  chromium — the dashboard's browser tests;
#   pgbouncer — the store behind a transaction pooler (test/integration/store/pgbouncer.test.ts).
# Installs missing ones with apt-get when running as root (or with passwordless sudo); otherwise exits 1
# naming the packages and the command to run. EJSYNC_SYSTEM_PACKAGES overrides the list (tests).
set -euo pipefail

read -r -a packages <<<"${EJSYNC_SYSTEM_PACKAGES:-libengine-gost-openssl chromium pgbouncer}"
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "ensure-system-packages: missing Debian packages: ${missing[*]}" >&2
  echo "Install them as root, then run the tests again:" >&2
  echo "  sudo sh -c '$cmd'" >&2
  exit 1
fi

echo "ensure-system-packages: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for p in "${missing[@]}"; do
  if ! dpkg -s "$p" >/dev/null 2>&1; then
    echo "ensure-system-packages: $p is still not installed after apt-get; run: $cmd" >&2
    exit 1
  fi
done

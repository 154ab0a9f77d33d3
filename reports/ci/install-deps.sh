#!/usr/bin/env bash
# What the reports tests need on a bare Debian/Ubuntu machine: fonts for XChart (a tarball JDK has none)
# and Chromium for the test that renders index.html. Idempotent; run as root.
set -euo pipefail
need=()
for pkg in chromium fontconfig fonts-dejavu-core; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${need[@]}"
fi

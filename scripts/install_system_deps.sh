#!/usr/bin/env bash
# Debian packages the test suite uses: chromium + chromedriver (real-browser UI test),
# postgresql (storage tests against a real server), an Arabic font for screenshots.
# Installs only what is missing; needs root (or sudo). Without them those tests skip
# with a visible reason outside CI, and fail in CI.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
fc-list 2>/dev/null | grep -qi "Noto Naskh Arabic" || need+=(fonts-noto-core)
if [ ${#need[@]} -eq 0 ]; then
  echo "system packages: all present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "system packages missing (${need[*]}) and no root: browser/PostgreSQL tests will skip" >&2
    exit 0
  fi
fi
echo "installing: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "system packages: installed ${need[*]}"

#!/usr/bin/env bash
# Installs every Debian 12 package gridhub needs to build, test and run.
# Idempotent: does nothing (and needs no network) when everything is present.
# Usage: ops/install-deps.sh            (as root, or with sudo available)
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential g++ cmake ninja-build pkg-config git python3 ca-certificates openssl
  # libraries (see ../shared/DEPS.md for why each one is here)
  thrift-compiler libthrift-dev libboost-dev librocksdb-dev libpoco-dev libpq-dev
  libssl-dev libabsl-dev libgtest-dev libgmock-dev libicu-dev libevent-dev libbenchmark-dev
  libgoogle-perftools-dev
  # clients for other languages and fuzzing
  python3-thrift clang libclang-rt-14-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: missing packages (${missing[*]}) and not root; run as root" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${#missing[@]} packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "install-deps: done"

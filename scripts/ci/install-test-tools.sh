#!/usr/bin/env bash
# Installs what the tests need beyond the build tools, on Debian 12
# (bookworm): clang and its libFuzzer/sanitizer runtimes and cmake (for
# npm run build:fuzz), Chromium (the training report's browser test,
# driven by playwright-core), and Open MPI with its headers (mpirun, and
# mpicc for npm run build:mpi: the deltaprop/distributed tests).
# Idempotent; needs root (CI runs as root).
set -euo pipefail
need_apt=()
command -v clang++ >/dev/null || need_apt+=(clang)
compgen -G '/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a' >/dev/null || need_apt+=(libclang-rt-14-dev)
command -v cmake >/dev/null || need_apt+=(cmake)
command -v chromium >/dev/null || need_apt+=(chromium)
command -v mpirun >/dev/null || need_apt+=(openmpi-bin)
command -v mpicc >/dev/null || need_apt+=(libopenmpi-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

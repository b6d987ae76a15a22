#!/usr/bin/env bash
# Installs what npm run build:fuzz needs beyond the usual build tools, on
# Debian 12 (bookworm): clang and its libFuzzer/sanitizer runtimes, and
# cmake. Idempotent; needs root (CI runs as root).
set -euo pipefail
need_apt=()
command -v clang++ >/dev/null || need_apt+=(clang)
compgen -G '/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a' >/dev/null || need_apt+=(libclang-rt-14-dev)
command -v cmake >/dev/null || need_apt+=(cmake)
if [ ${#need_apt[@]} -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

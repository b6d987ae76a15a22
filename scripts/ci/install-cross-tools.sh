#!/usr/bin/env bash
# Installs what the release checks need beyond npm, on a Debian 12 (bookworm)
# x86-64 machine: the aarch64 cross compiler, qemu-user, cmake (for cmake-js),
# and an arm64 Node (Debian's nodejs 18) unpacked into a sysroot folder, so
# that the machine's own node is left alone (`apt-get install nodejs:arm64`
# would replace it). Adds arm64 as a foreign dpkg architecture for good.
# For the Windows x64 binary: MinGW-w64's g++ with the posix thread model
# (the win32 model has no std::mutex or std::thread), its binutils (dlltool,
# objdump, strip) and wine, 64-bit only (wine64; no i386 architecture), to
# run the official node.exe builds.
# Idempotent; needs root (CI runs as root).
#
#   scripts/ci/install-cross-tools.sh [sysroot]   (default: .cache/arm64-sysroot)
#
# Then: qemu-aarch64 -L <sysroot> <sysroot>/usr/bin/node file.js
set -euo pipefail
cd "$(dirname "$0")/../.."
sysroot="$(realpath -m "${1:-.cache/arm64-sysroot}")"

# The package names below (libnode108, libicu72) are bookworm's.
if ! grep -qx 'VERSION_CODENAME=bookworm' /etc/os-release; then
  echo "install-cross-tools: expected Debian 12 (bookworm); see the package list in this script" >&2
  exit 1
fi

need_apt=()
command -v aarch64-linux-gnu-g++ >/dev/null || need_apt+=(g++-aarch64-linux-gnu binutils-aarch64-linux-gnu)
command -v qemu-aarch64 >/dev/null || need_apt+=(qemu-user)
command -v cmake >/dev/null || need_apt+=(cmake)
command -v x86_64-w64-mingw32-g++-posix >/dev/null || need_apt+=(g++-mingw-w64-x86-64-posix)
command -v x86_64-w64-mingw32-dlltool >/dev/null || need_apt+=(binutils-mingw-w64-x86-64)
{ command -v wine >/dev/null && [ -x /usr/lib/wine/wine64 ]; } || need_apt+=(wine wine64)
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  dpkg --add-architecture arm64
  fresh_lists=1
fi
if [ ${#need_apt[@]} -gt 0 ] || [ -n "${fresh_lists:-}" ] || [ ! -x "$sysroot/usr/bin/node" ]; then
  apt-get update -qq
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

if [ ! -x "$sysroot/usr/bin/node" ]; then
  # node aborts at start without acorn, cjs-module-lexer and undici, which
  # Debian packages separately.
  packages=(nodejs libnode108 libc6 libgcc-s1 libstdc++6 libbrotli1 libc-ares2 libicu72
            libnghttp2-14 libssl3 libuv1 zlib1g)
  debs="$(mktemp -d)"
  trap 'rm -rf "$debs"' EXIT
  chown _apt "$debs"   # apt-get download runs as _apt and must write here
  (cd "$debs" && apt-get download -qq "${packages[@]/%/:arm64}" node-acorn node-cjs-module-lexer node-undici)
  mkdir -p "$sysroot"
  for deb in "$debs"/*.deb; do dpkg -x "$deb" "$sysroot"; done
fi
echo "arm64 node: $(qemu-aarch64 -L "$sysroot" "$sysroot/usr/bin/node" --version) in $sysroot"
echo "MinGW-w64: $(x86_64-w64-mingw32-g++-posix -dumpversion); $(wine --version 2>/dev/null)"

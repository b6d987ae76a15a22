#!/usr/bin/env bash
# Builds the prebuilt binaries shipped in the npm package:
#   prebuilds/linux-x64/deltaprop.glibc.node     native build
#   prebuilds/linux-arm64/deltaprop.glibc.node   cross-built with g++-aarch64-linux-gnu
#   prebuilds/win32-x64/deltaprop.node           cross-built with MinGW-w64 (scripts/build-win32.js)
# All are Node-API 8 builds (one binary for every Node from 18 up) with
# portable flags: the kernels pick their ISA at run time. The Linux ones are
# tagged glibc, so that node-gyp-build does not offer them on musl (Alpine),
# where they cannot load; there the install builds from source. The Linux
# builds run in a scratch copy of the sources so that the developer's build/
# is left alone (the Windows build never touches build/).
#
#   npm run build:prebuilds [-- x64 | arm64 | win32-x64 ...]     (default: all three)
#
# The cross tools come from scripts/ci/install-cross-tools.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
arches=("$@")
[ $# -gt 0 ] || arches=(x64 arm64 win32-x64)
for arch in "${arches[@]}"; do
  case "$arch" in
    x64 | arm64 | win32-x64) ;;
    *) echo "build-prebuilds: unknown target '$arch' (expected x64, arm64 or win32-x64)" >&2; exit 2 ;;
  esac
done

# node-gyp run outside npm ignores npm's nodedir and would try to download
# headers: build against the running Node's own headers.
if [ -z "${npm_config_nodedir:-}" ]; then
  npm_config_nodedir="$(node -p 'require("path").resolve(process.execPath, "../..")')"
  export npm_config_nodedir
fi

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cp -r "$root/binding.gyp" "$root/native" "$root/package.json" "$scratch/"
ln -s "$root/node_modules" "$scratch/node_modules"
prebuildify="$root/node_modules/.bin/prebuildify"

for arch in "${arches[@]}"; do
  if [ "$arch" = win32-x64 ]; then
    # It writes its binary only once it is built and checked: a failed build (say, no MinGW here) keeps the last one.
    node "$root/scripts/build-win32.js"
    continue
  fi
  rm -rf "$scratch/build" "$root/prebuilds/linux-$arch"
  case "$arch" in
    x64)
      (cd "$scratch" && "$prebuildify" --napi --tag-libc --strip --quiet) ;;
    arm64)
      (cd "$scratch" &&
        CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ AR=aarch64-linux-gnu-ar LINK=aarch64-linux-gnu-g++ \
        "$prebuildify" --napi --tag-libc --arch arm64 --strip --strip-bin aarch64-linux-gnu-strip --quiet) ;;
  esac
  mkdir -p "$root/prebuilds"
  cp -r "$scratch/prebuilds/linux-$arch" "$root/prebuilds/"
  echo "built $(ls "$root/prebuilds/linux-$arch"/*.node)"
done

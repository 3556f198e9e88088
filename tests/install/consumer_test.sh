#!/usr/bin/env bash
# Installs faultline from the build tree into a scratch prefix, then builds and runs the
# example user project against it with find_package(faultline).
set -euo pipefail
build_dir=$1
source_dir=$2
cxx_flags=${3:-}     # the build's compiler flags, its build type's included: a sanitizer build's library needs its runtime
linker_flags=${4:-}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build_dir" --prefix "$scratch/prefix" >/dev/null
cmake -S "$source_dir/examples/property-test" -B "$scratch/build" -DCMAKE_PREFIX_PATH="$scratch/prefix" \
  -DCMAKE_BUILD_TYPE= -DCMAKE_CXX_FLAGS="$cxx_flags" -DCMAKE_EXE_LINKER_FLAGS="$linker_flags" >/dev/null
cmake --build "$scratch/build" -j2 >/dev/null
"$scratch/build/store_property_test"

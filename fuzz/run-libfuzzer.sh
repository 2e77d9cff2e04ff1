#!/usr/bin/env bash
# `make fuzz`: builds every fuzz target with clang + libFuzzer (ASan + UBSan) and runs each for
# FUZZ_SECONDS (default 60) on a copy of its corpus. New crashers land in build/fuzz/artifacts/;
# add the interesting ones to fuzz/corpus/<name>/ so the replay under ctest keeps them fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
build=build/fuzz
CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DSALESPIPE_SANITIZE=ON -DSALESPIPE_LIBFUZZER=ON >/dev/null
targets=$(ls fuzz/*_fuzz.cpp | xargs -n1 basename | sed 's/\.cpp$//')
cmake --build "$build" -j "$(nproc)" --target $targets
mkdir -p "$build/artifacts"
for target in $targets; do
  name=${target%_fuzz}
  corpus="$build/corpus/$name"
  mkdir -p "$corpus"
  cp -n fuzz/corpus/"$name"/* "$corpus"/ 2>/dev/null || true
  echo "fuzzing $name for ${seconds}s"
  "$build/fuzz/$target" -max_total_time="$seconds" -artifact_prefix="$build/artifacts/$name-" \
    "$corpus"
done

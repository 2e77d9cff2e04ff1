# salespipe: the two commands a user needs are `make run` and `make test`.
# Everything installs its own Debian packages first (scripts/install-deps.sh, idempotent).

SHELL := /bin/bash
JOBS ?= $(shell nproc)
OUT ?= out
# -Werror in CI (CI=true), plain warnings elsewhere so other compilers still build.
WERROR := $(if $(filter true,$(CI)),ON,OFF)
CMAKE_FLAGS := -DSALESPIPE_WERROR=$(WERROR)
SANITIZER_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0

.PHONY: all deps build run test test-release test-asan format format-check bench fuzz clean

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	cmake --preset release $(CMAKE_FLAGS) >/dev/null
	cmake --build build/release -j $(JOBS) --target salespipe

run: build
	@bash scripts/run-sample.sh build/release/src/cli/salespipe $(OUT)

test: deps format-check test-release test-asan
	@echo "make test: release and ASan/UBSan suites passed"

test-release:
	cmake --preset release $(CMAKE_FLAGS) >/dev/null
	cmake --build build/release -j $(JOBS)
	cd build/release && ctest --output-on-failure -j $(JOBS)

test-asan:
	cmake --preset asan $(CMAKE_FLAGS) >/dev/null
	cmake --build build/asan -j $(JOBS)
	cd build/asan && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS)

format:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

format-check:
	git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

bench: deps
	bash scripts/install-deps.sh --extra
	cmake --preset bench $(CMAKE_FLAGS) >/dev/null
	cmake --build build/bench -j $(JOBS)
	bash bench/run.sh build/bench/src/cli/salespipe
	bash bench/stages.sh build/bench/src/cli/salespipe

fuzz:
	bash scripts/install-deps.sh --extra
	bash fuzz/run-libfuzzer.sh

clean:
	rm -rf build

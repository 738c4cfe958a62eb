# SPDX-License-Identifier: MIT
# Front door for people: `make demo` and `make test` work on a fresh Debian 12
# machine as root.  The real build is CMake (CMakePresets.json); this file only
# installs dependencies, configures, builds and runs.

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
OUT  ?=

.PHONY: all deps build build-asan demo test test-dev test-asan tidy format clean

all: build

deps:
	@tools/install-deps.sh

build: deps
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev -j $(JOBS)

build-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

demo: build
	@build/dev/myoreg demo $(if $(OUT),--out $(OUT),)

test-dev: build
	@ctest --preset dev -j $(JOBS)

test-asan: build-asan
	@ctest --preset asan -j $(JOBS)

# Every test runs twice: plain debug build, then ASan + UBSan with the
# one-malloc-per-allocation arena, which catches what the pooled arena hides.
test: test-dev test-asan

tidy: deps
	@cmake --preset tidy >/dev/null
	@cmake --build --preset tidy -j $(JOBS)

format:
	@git ls-files '*.c' '*.h' | xargs clang-format -i

clean:
	rm -rf build

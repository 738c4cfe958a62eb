# SPDX-License-Identifier: MIT
# Front door for people: `make demo` and `make test` work on a fresh Debian 12
# machine as root.  The real build is CMake (CMakePresets.json); this file only
# installs dependencies, configures, builds and runs.

JOBS ?= $(shell nproc 2>/dev/null || echo 2)
OUT  ?=

.PHONY: all deps build build-asan build-release demo test test-dev test-asan test-release tidy format clean

all: build

deps:
	@tools/install-deps.sh

build: deps
	@cmake --preset dev >/dev/null
	@cmake --build --preset dev -j $(JOBS)

build-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS)

build-release: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

demo: build
	@build/dev/myoreg demo $(if $(OUT),--out $(OUT),)

test-dev: build
	@ctest --preset dev -j $(JOBS)

test-asan: build-asan
	@ctest --preset asan -j $(JOBS)

# The optimised build warns about things the debug build cannot see
# (-Wnull-dereference, -Wformat-truncation after inlining); its unit tests
# catch code that only works unoptimised.
test-release: build-release
	@ctest --preset release -j $(JOBS) -L unit

# Every test runs twice: plain debug build, then ASan + UBSan with the
# one-malloc-per-allocation arena, which catches what the pooled arena hides;
# then the unit tests of the optimised build.
test: test-dev test-asan test-release

tidy: deps
	@cmake --preset tidy >/dev/null
	@cmake --build --preset tidy -j $(JOBS)

format:
	@git ls-files '*.c' '*.h' | xargs clang-format -i

clean:
	rm -rf build

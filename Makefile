# sockeye — the developer entry points. Every target installs what it needs.
#   make run   [ARGS="-r capture.pcap --summary"]   build (dev) and start sockeye
#   make test                                      build and run every test
#   make bench                                     release build + benchmark report
#   make bench-live                                live-capture costs next to tcpdump,
#                                                  iftop, nethogs (root; a few minutes)
#   make fuzz  [FUZZ_SECONDS=60]                   run every libFuzzer target
#        [FUZZ_BUDGET=cpu] [FUZZ_JOBS=2] [FUZZ_TARGETS="decode dpi_tls"]
#   make golden-update                             rewrite tests/golden expectations
JOBS ?= $(shell nproc)
ARGS ?=
FUZZ_SECONDS ?= 60
FUZZ_BUDGET ?= wall
FUZZ_JOBS ?= 1
FUZZ_TARGETS ?=
CTEST_FLAGS ?= --output-on-failure -j $(JOBS)

.PHONY: deps build run test test-dev test-asan test-data bench bench-live fuzz golden-update clean

deps:
	@scripts/deps

build: deps
	cmake --preset dev >/dev/null
	cmake --build --preset dev -j $(JOBS)

run: build
	./build/dev/src/sockeye $(ARGS)

test-data: deps
	@scripts/fetch-test-captures

test-dev: build test-data
	cd build/dev && ctest $(CTEST_FLAGS)

# The whole suite again under ASan+UBSan (RelWithDebInfo): unit tests, the
# parsers' regression corpora, goldens, oracles and every e2e suite, with a
# sanitized sockeye. Tests see SOCKEYE_SANITIZED=1 and widen their time limits.
test-asan: deps test-data
	cmake --preset asan >/dev/null
	cmake --build --preset asan -j $(JOBS)
	cd build/asan && ctest $(CTEST_FLAGS)

test: test-dev test-asan

bench: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)
	scripts/bench

# Only the two binaries it runs: the live section needs no benchmark or test target.
bench-live: deps
	@scripts/deps bench
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS) --target sockeye sockeye-trafficgen
	scripts/bench live

fuzz: deps
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz -j $(JOBS)
	FUZZ_BUDGET=$(FUZZ_BUDGET) FUZZ_JOBS=$(FUZZ_JOBS) FUZZ_TARGETS="$(FUZZ_TARGETS)" \
	  scripts/fuzz $(FUZZ_SECONDS)

golden-update: build test-data
	cd build/dev && SOCKEYE_UPDATE_GOLDEN=1 ctest $(CTEST_FLAGS) -L golden

# Static musl release builds (make static, make test-static, make dist).
-include mk/*.mk

clean:
	rm -rf build

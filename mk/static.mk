# Static musl release builds (see scripts/static-build, tests/static/).
#   make static [ARCH=x86_64|aarch64]   dist/sockeye-<version>-<arch>-linux-musl
#   make static-all                     both arches
#   make test-static [ARCH=...]         rebuilds the static binaries and the dev build, then
#                                       checks them against each other (tests/static/run),
#                                       and builds and runs the unit tests for musl
#                                       (aarch64 under qemu); every arch unless ARCH is given;
#                                       STATIC_UNIT=0 leaves the unit tests out
#   make test-static-unit [ARCH=...]    only the unit tests for musl: build + run
#                                       (tests/static/unit), no root or dev build needed
#   make test-static-ci                 the x86_64 binary checks only: what CI runs
#   make dist                           dist/sockeye-<version>-<arch>-linux-musl.tar.gz, .deb
#                                       (scripts/static-deb) + SHA256SUMS
ARCH ?= x86_64
STATIC_ARCHES ?= x86_64 aarch64
# `make test-static ARCH=aarch64` checks that arch; plain `make test-static` all of them.
ifneq ($(filter command line environment,$(origin ARCH)),)
STATIC_TEST_ARCHES ?= $(ARCH)
else
STATIC_TEST_ARCHES ?= $(STATIC_ARCHES)
endif
STATIC_UNIT ?= 1

.PHONY: static static-all test-static test-static-unit test-static-ci dist

static:
	@STATIC_JOBS=$(JOBS) scripts/static-build $(ARCH)

static-all:
	@for a in $(STATIC_ARCHES); do STATIC_JOBS=$(JOBS) scripts/static-build $$a || exit 1; done

# The dev build is the reference the static binaries must agree with; both are
# (re)built here so they come from the same source tree.
test-static: build
	@for a in $(STATIC_TEST_ARCHES); do STATIC_JOBS=$(JOBS) scripts/static-build $$a || exit 1; done
	@if [ "$(STATIC_UNIT)" = 1 ]; then \
	  for a in $(STATIC_TEST_ARCHES); do STATIC_JOBS=$(JOBS) scripts/static-build $$a --tests || exit 1; done; \
	fi
	@STATIC_TEST_ARCHES="$(STATIC_TEST_ARCHES)" STATIC_UNIT=$(STATIC_UNIT) tests/static/run

test-static-unit:
	@STATIC_JOBS=$(JOBS) scripts/static-build $(ARCH) --tests
	@tests/static/unit $(ARCH)

test-static-ci: build
	@STATIC_JOBS=$(JOBS) scripts/static-build x86_64
	@STATIC_TEST_ARCHES=x86_64 STATIC_UNIT=0 tests/static/run

dist:
	@STATIC_JOBS=$(JOBS) scripts/static-dist $(STATIC_ARCHES)

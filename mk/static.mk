# Static musl release builds (see scripts/static-build, tests/static/).
#   make static [ARCH=x86_64|aarch64]   dist/sockeye-<version>-<arch>-linux-musl
#   make static-all                     both arches
#   make test-static                    rebuilds both static binaries and the dev build,
#                                       then checks them against each other (tests/static/run)
#   make test-static-ci                 the same for x86_64 only: what CI runs
#   make dist                           dist/sockeye-<version>-<arch>-linux-musl.tar.gz, .deb
#                                       (scripts/static-deb) + SHA256SUMS
ARCH ?= x86_64
STATIC_ARCHES ?= x86_64 aarch64

.PHONY: static static-all test-static test-static-ci dist

static:
	@STATIC_JOBS=$(JOBS) scripts/static-build $(ARCH)

static-all:
	@for a in $(STATIC_ARCHES); do STATIC_JOBS=$(JOBS) scripts/static-build $$a || exit 1; done

# The dev build is the reference the static binaries must agree with; both are
# (re)built here so they come from the same source tree.
test-static: build static-all
	@STATIC_TEST_ARCHES="$(STATIC_ARCHES)" tests/static/run

test-static-ci: build
	@STATIC_JOBS=$(JOBS) scripts/static-build x86_64
	@STATIC_TEST_ARCHES=x86_64 tests/static/run

dist:
	@STATIC_JOBS=$(JOBS) scripts/static-dist $(STATIC_ARCHES)

# SPDX-License-Identifier: GPL-2.0
#
# eBPF experiments: build, test and demo every lesson. `make help` lists the targets.
# Building needs no root; test, demo and lab ask for sudo for the steps that need it.

LESSONS := $(sort $(patsubst %/Makefile,%,$(wildcard [0-9][0-9]-*/Makefile)))
# Other folders with a Makefile of their own are built (and tested) the same way.
SUBDIRS := $(LESSONS) $(patsubst %/Makefile,%,$(wildcard lab/Makefile tools/Makefile kernel-config/Makefile \
	bench/Makefile))
MAKEFLAGS += --no-print-directory

ifeq ($(SANITIZE),1)
OUT := .build-san
else
OUT := .build
endif

include common/root.mk
TEST_ENV := CI=$(CI) VERBOSE=$(VERBOSE) XDP_OUT=$(if $(filter 1,$(SANITIZE)),$(OUT),) \
	PATH=/usr/sbin:/sbin:$(PATH)

# Unit tests first (the programs alone), then end to end (the loaders in a lab): in each
# folder, tests/*.c builds into $(OUT)/tests/ and tests/*.sh are scripts; tests/test-*.sh at
# the top span lessons.
UNIT_TESTS = $(foreach d,$(SUBDIRS),$(patsubst $(d)/tests/%.c,$(d)/$(OUT)/tests/%,\
	$(wildcard $(d)/tests/*.c)))
E2E_TESTS = $(filter-out $(if $(filter 1,$(SANITIZE)),$(NOT_SANITIZED)),\
	$(wildcard $(addsuffix /tests/*.sh,$(SUBDIRS)) tests/test-*.sh))
# Under the sanitizers, not the test that builds the course without them (as make test does)
NOT_SANITIZED := tests/test-build.sh
LAST_TEST := tests/leftovers.sh	# nothing left behind: no namespaces, no programs
PROVE_FLAGS ?= $(if $(filter 1,$(VERBOSE)),-v,--failures)

.PHONY: all test test-progs demo lab lab-down deps clean help check

# `sudo make test` in a learner's own checkout: build as the learner, so that no root-owned
# files are left behind in their tree.
ifneq ($(and $(SUDO_UID),$(filter 0,$(shell id -u))),)
ifeq ($(shell stat -c %u .),$(SUDO_UID))
AS_USER := setpriv --reuid=$(SUDO_UID) --regid=$(SUDO_GID) --init-groups
endif
endif

all: $(addprefix build-,$(SUBDIRS))
test-progs: $(addprefix test-progs-,$(SUBDIRS))

build-%: deps-check
	@$(AS_USER) $(MAKE) -C $*

test-progs-%: deps-check
	@$(AS_USER) $(MAKE) -C $* test-progs

# Quietly make sure the tools are here; `make deps` installs what is missing.
.PHONY: deps-check
deps-check:
	@common/deps.sh check

deps:
	@common/deps.sh install

# The tests build with WERROR=1: a warning fails them (common/warnings.mk).
test: deps
	@$(MAKE) WERROR=1 test-progs
	@echo "  TEST     $(words $(UNIT_TESTS) $(E2E_TESTS) $(LAST_TEST)) test files, as root"
	@$(AS_ROOT) $(TEST_ENV) tests/run $(PROVE_FLAGS) -- $(UNIT_TESTS) $(E2E_TESTS) $(LAST_TEST)

demo: deps
	@$(MAKE) all
	@$(AS_ROOT) $(TEST_ENV) lab/demo

lab: all
	@$(AS_ROOT) PATH=/usr/sbin:/sbin:$(PATH) lab/lab up
	@echo "Run a lesson in it:  sudo lab/lab exec host ./01-hello-xdp/hello -i veth0"
	@echo "Traffic from the peer:  sudo lab/lab ping 5    Remove it:  make lab-down"

lab-down:
	@$(AS_ROOT) PATH=/usr/sbin:/sbin:$(PATH) lab/lab down

# Can this kernel run the lessons? kernel-config/check: the configuration, the version, and
# as root the probes (kernel-config/probe, on a veth in a namespace of its own).
check: deps
	@$(MAKE) build-kernel-config
	@$(AS_ROOT) PATH=/usr/sbin:/sbin:$(PATH) kernel-config/check

# What XDP buys on this machine, measured side by side (bench/run): every lesson's cost per
# packet, a flood dropped by XDP and by the stack's filters, 05 against the kernel's forwarding,
# 08 against the kernel's vxlan device, the learner's build loop. A few minutes, as root, in
# namespaces of its own. Not part of test: the numbers depend on the machine and on what else
# it is doing.
.PHONY: bench deps-bench
deps-bench:
	@common/deps.sh install bench

bench: deps-bench
	@$(MAKE) all
	@$(AS_ROOT) PATH=/usr/sbin:/sbin:$(PATH) bench/run

# The Raspberry Pi's architectures (arm/README.md). `make cross` builds every loader and test
# for arm64 and armhf, each against the userland of Debian 13 trixie (today's Pi OS) and of
# Debian 12 bookworm (the previous one), into .build-TARGET/ (TARGET: arm64, armhf,
# arm64-bookworm, armhf-bookworm), against Debian's own packages for them (arm/fetch).
# `make test-arm` runs every test in Debian's kernels of those releases under QEMU: trixie's
# 6.12 and bookworm's 6.1, for arm64 with the JIT, for armhf with the interpreter (trixie)
# and the JIT (bookworm). ARCH=arm64 or ARCH=armhf for one architecture, ARCH=TARGET for
# one target; ARM_RUNS names the runs (arm/run -h). It needs no root.
ARM_ALL_RUNS := arm64 armhf arm64-bookworm armhf-bookworm-jit
ARM_RUNS ?= $(if $(filter command line,$(origin ARCH)),$(filter $(ARCH) $(ARCH)-%,$(ARM_ALL_RUNS)),\
	$(ARM_ALL_RUNS))
ARM_TARGETS := $(sort $(patsubst %-jit,%,$(ARM_RUNS)))
.PHONY: cross test-arm deps-cross
deps-cross:
	@common/deps.sh install cross

cross: $(addprefix cross-,$(ARM_TARGETS))

cross-%: deps-cross
	@case $* in arm64|armhf|arm64-bookworm|armhf-bookworm) ;; \
	*) echo "make cross: ARCH=arm64, armhf, arm64-bookworm or armhf-bookworm" >&2; exit 2 ;; esac
	@$(AS_USER) arm/fetch $* sysroot
	@for d in $(SUBDIRS); do $(AS_USER) $(MAKE) -C $$d CROSS=$* WERROR=1 test-progs || exit; done
	@# every exercise's solution too: the ARM kernels' proofs run the checks on them
	@for d in $(LESSONS); do $(AS_USER) $(MAKE) -C $$d CROSS=$* WERROR=1 solution-progs || exit; done

# The test files of `make test`, one a line: arm/run asks for them with OUT=.build-ARCH.
.PHONY: test-list
test-list:
	@printf '%s\n' $(UNIT_TESTS) $(E2E_TESTS) $(LAST_TEST)

test-arm: cross
	@$(if $(ARM_RUNS),:,echo "make test-arm: no run for ARCH=$(ARCH)" >&2; exit 2)
	@for a in $(ARM_TARGETS); do $(AS_USER) arm/fetch $$a vm || exit; done
	@$(AS_USER) arm/run $(if $(filter 1,$(VERBOSE)),-v) $(ARM_RUNS)

# The bytecode of every lesson's program, source interleaved (`make -C 02-drop-all disasm` for
# one); eBPF.md explains it. disasm-refresh rewrites eBPF.md's listings from the objects built
# here: tools/listings, which tools/tests/listings.sh runs to check that they still match.
.PHONY: disasm disasm-refresh
disasm: $(addprefix disasm-,$(LESSONS))

disasm-%: deps-check
	@$(AS_USER) $(MAKE) -C $* disasm

disasm-refresh: all
	@$(AS_USER) tools/listings refresh

# The diagrams (SVG), each redrawn from the Graphviz source beside it: X.dot -> X.svg. Only this
# target needs graphviz (common/deps.sh install docs); make test checks the SVGs with rsvg-convert.
DIAGRAMS := $(patsubst %.dot,%.svg,$(wildcard docs/*.dot lab/*.dot [0-9][0-9]-*/*.dot))
.PHONY: diagrams deps-docs
deps-docs:
	@common/deps.sh install docs

diagrams: deps-docs
	@for f in $(DIAGRAMS); do echo "  DOT      $$f"; dot -Tsvg "$${f%.svg}.dot" -o "$$f" || exit; done

clean:
	@for d in $(SUBDIRS); do $(MAKE) -C $$d clean; done

help:
	@echo "make              build every lesson (no root needed)"
	@echo "make test         install what is missing, build, run every test (asks for sudo)"
	@echo "make SANITIZE=1 test   the same with AddressSanitizer and UBSan builds, test-build aside"
	@echo "make demo         run the lessons in a throwaway lab and show what they do"
	@echo "make lab          create the learner's lab (lab/lab up); make lab-down removes it"
	@echo "make check        can this kernel run the lessons? (kernel-config/check, asks for sudo)"
	@echo "make bench        what XDP buys here: cost per packet, drop and forwarding rates (sudo)"
	@echo "make cross        build every loader and test for arm64 and armhf (ARCH=arm64|armhf)"
	@echo "make test-arm     run every test in emulated arm64 and armhf Debian kernels (QEMU)"
	@echo "make diagrams     redraw the diagrams (SVG) from their Graphviz sources (.dot)"
	@echo "make disasm       the bytecode of every lesson, source interleaved (see eBPF.md)"
	@echo "make deps         install the packages the course needs (Debian, Ubuntu, Pi OS)"
	@echo "make clean        remove everything built"
	@echo "make V=1          show the full commands"
	@echo "make -C 01-hello-xdp   build one lesson"
	@echo "Lessons: $(LESSONS)"

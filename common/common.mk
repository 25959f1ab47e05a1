# SPDX-License-Identifier: GPL-2.0
#
# Build rules shared by every lesson. A lesson's Makefile names its program and includes this:
#
#	APP := hello
#	include ../common/common.mk
#
# From APP it builds:
#   APP.bpf.c  -> .build/APP.bpf.o    the XDP object (clang -target bpf)
#              -> .build/APP.skel.h   a libbpf skeleton that embeds the object (bpftool)
#   APP.c      -> APP                 the loader, linked with common/loader.c and guard.c
#   tests/*.c  -> .build/tests/*      unit tests (TAP), linked with common/testing.c
#   broken_*.bpf.c -> .build/broken_*.bpf.o   only with `make broken` and test-progs: variants
#                                        that the verifier refuses (the verifier lessons)
# A lesson that needs more of common/ names it: USES := stats  (links common/stats.c)
# A lesson with a second program names it: MORE_APPS := pong  (pong.bpf.c, pong.c -> pong)
# `make disasm` prints the program's bytecode, source interleaved (eBPF.md explains it).
#
# Variables a learner may set on the command line:
#   V=1              show every command
#   WERROR=1         stop at the first warning, as `make test` and CI do (common/warnings.mk)
#   SANITIZE=1       build into .build-san/ with AddressSanitizer and UBSan
#   CROSS=arm64|armhf   build into .build-arm64/ or .build-armhf/ for the Raspberry Pi's
#                    architectures, static (arm/cross.mk; `make cross` at the top fetches first)
#   KERNEL_HEADERS=DIR  use the headers of your own kernel (the INSTALL_HDR_PATH you gave
#                    `make headers_install`) instead of the distribution's linux-libc-dev

COMMON := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
include $(COMMON)/warnings.mk

CLANG ?= clang
LLVM_STRIP ?= llvm-strip
# bpftool lives in /usr/sbin, which is not on a normal user's PATH on Debian.
BPFTOOL ?= $(or $(shell command -v bpftool 2>/dev/null),/usr/sbin/bpftool)

ifeq ($(SANITIZE),1)
OUT := .build-san
BIN := $(OUT)/$(APP)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
else
OUT := .build
BIN := $(APP)
SAN_FLAGS :=
endif
ifneq ($(CROSS),)
include $(COMMON)/../arm/cross.mk
BIN := $(OUT)/$(APP)
endif

ifneq ($(KERNEL_HEADERS),)
KHDR_FLAGS := -isystem $(KERNEL_HEADERS)/include
endif

# The BPF target has no system include directories of its own, yet linux/types.h needs
# asm/types.h, which Debian keeps in the multiarch directory (/usr/include/aarch64-linux-gnu,
# /usr/include/arm-linux-gnueabihf, ...). Ask the compiler where the userland's headers are and
# search them after its own: no /usr/include/asm symlink, no gcc-multilib.
BPF_SYS_INCLUDES := $(shell $(CLANG) -v -E - </dev/null 2>&1 | \
	sed -n '/<\.\.\.> search starts here:/,/End of search list\./{s|^ \(/.*\)|-idirafter \1|p}')

BPF_CFLAGS := -target bpf -O2 -g -Wall $(WERROR_FLAGS) -I$(COMMON) $(KHDR_FLAGS) $(BPF_SYS_INCLUDES)
CFLAGS ?= -O2 -g
USER_CFLAGS := -std=gnu11 -Wall -Wextra $(WERROR_FLAGS) -I. -I$(OUT) -I$(COMMON) $(KHDR_FLAGS) $(SAN_FLAGS) \
	$(CROSS_CFLAGS) $(CFLAGS)
# libmnl: the guard's netlink (common/guard.c says why a library)
LDLIBS := -lbpf -lelf -lz -lmnl
USER_LDFLAGS := $(SAN_FLAGS) $(CROSS_LDFLAGS) $(LDFLAGS)

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' '$(1)' '$(notdir $(CURDIR))/$(2)';
endif

# stats and nexthop ask the kernel over netlink, through nl.c
USES_OBJS := $(patsubst %,$(OUT)/common-%.o,$(sort $(USES) $(if $(filter stats nexthop,$(USES)),nl)))
UNIT_SRCS := $(wildcard tests/*.c)
UNIT_BINS := $(patsubst tests/%.c,$(OUT)/tests/%,$(UNIT_SRCS))

.PHONY: all test-progs clean
# Keep the .bpf.o: `make disasm` and the tests read it.
.SECONDARY:
.DEFAULT_GOAL := all

all: $(BIN)
	@:

test-progs: $(BIN) $(UNIT_BINS)
	@:

# The verifier lessons: broken_*.bpf.c are variants of the lesson's program that the verifier
# must refuse. They compile -- the compiler cannot see what the verifier objects to -- but plain
# `make` leaves them out, as they fail to load by design, and no skeleton embeds them.
# `make broken` builds them, and test-progs does for tests/verifier.c.
BROKEN_OBJS := $(patsubst %.bpf.c,$(OUT)/%.bpf.o,$(wildcard broken_*.bpf.c))
.PHONY: broken disasm
broken: $(BROKEN_OBJS)
	@:
test-progs: $(BROKEN_OBJS)

# `make disasm`: the programs' bytecode, under each source line the instructions it became (-S
# reads the -g debug information), with the map each wide load refers to (-r). It runs in
# $(OUT) so that the listing names the object alone: eBPF.md quotes it (tools/listings).
LLVM_OBJDUMP ?= llvm-objdump
disasm: $(patsubst %,$(OUT)/%.bpf.o,$(APP) $(MORE_APPS))
	$(Q)cd $(OUT) && $(LLVM_OBJDUMP) -d -S -r $(patsubst %,%.bpf.o,$(APP) $(MORE_APPS))

$(OUT) $(OUT)/tests:
	$(Q)mkdir -p $@

$(OUT)/%.bpf.o: %.bpf.c | $(OUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -c $< -o $@

$(OUT)/%.skel.h: $(OUT)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

# The loader and the unit tests include the skeleton: generate it first.
$(OUT)/%.o: %.c $(OUT)/$(APP).skel.h | $(OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(OUT)/common-%.o: $(COMMON)/%.c | $(OUT)
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(OUT)/tests/%.o: tests/%.c $(OUT)/$(APP).skel.h | $(OUT)/tests
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

# Every loader links common/loader.c and the guard it calls.
LOADER_OBJS := $(OUT)/common-loader.o $(OUT)/common-guard.o $(OUT)/common-nl.o

$(BIN): $(OUT)/$(APP).o $(LOADER_OBJS) $(USES_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(USER_LDFLAGS) $^ $(LDLIBS) -o $@

# A second program and loader in the same lesson (05's pong): MORE_APPS := pong. Each is built
# like APP, from NAME.bpf.c and NAME.c, into a loader next to APP's; the unit tests may include
# every skeleton.
more_bin = $(patsubst %$(APP),%$(1),$(BIN))
MORE_BINS := $(foreach a,$(MORE_APPS),$(call more_bin,$(a)))
all test-progs: $(MORE_BINS)
$(patsubst %,$(OUT)/%.o,$(MORE_APPS)): $(OUT)/%.o: $(OUT)/%.skel.h
$(UNIT_BINS:%=%.o): $(patsubst %,$(OUT)/%.skel.h,$(MORE_APPS))
$(foreach a,$(MORE_APPS),$(eval $(call more_bin,$(a)): $(OUT)/$(a).o $(LOADER_OBJS) \
	$(USES_OBJS)))
$(MORE_BINS):
	$(call msg,LINK,$@)
	$(Q)$(CC) $(USER_LDFLAGS) $^ $(LDLIBS) -o $@

$(OUT)/tests/%: $(OUT)/tests/%.o $(OUT)/common-testing.o $(OUT)/common-packets.o $(USES_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(USER_LDFLAGS) $^ $(LDLIBS) -o $@

clean:
	$(call msg,CLEAN,)
	$(Q)rm -rf .build .build-san .build-arm64* .build-armhf* $(APP) $(MORE_APPS)

ifneq ($(wildcard exercises/[0-9]*),)
include $(COMMON)/exercises.mk
endif

-include $(wildcard $(OUT)/*.d $(OUT)/tests/*.d $(OUT)/exercises/*.d)

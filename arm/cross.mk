# SPDX-License-Identifier: GPL-2.0
#
# Cross builds for the Raspberry Pi's architectures, included by common/common.mk and
# lab/Makefile when CROSS is set:
#
#	make -C 01-hello-xdp CROSS=arm64	(or CROSS=armhf; `make cross` does every folder)
#
# The loader and the tests build into .build-$(CROSS)/ with Debian's cross compiler, against
# the libbpf, libelf and zlib that arm/fetch unpacked from Debian's packages for that
# architecture, and link statically: they run in the emulated ARM kernels' initramfs
# (arm/run), where there is no libbpf. The BPF object needs nothing from here: it has no
# architecture, and the same rule builds it.

CROSS_TRIPLET_arm64 := aarch64-linux-gnu
CROSS_TRIPLET_armhf := arm-linux-gnueabihf
CROSS_TRIPLET := $(CROSS_TRIPLET_$(CROSS))
ifeq ($(CROSS_TRIPLET),)
$(error CROSS=$(CROSS): use CROSS=arm64 or CROSS=armhf)
endif
ifeq ($(SANITIZE),1)
$(error SANITIZE=1 and CROSS=$(CROSS) do not go together: the sanitizers do not link statically)
endif

# arm/fetch's cache: arm/.cache/, or ARM_CACHE from the environment, as for arm/fetch and arm/run
ARM_CACHE ?= $(abspath $(dir $(lastword $(MAKEFILE_LIST))).cache)
CROSS_SYSROOT ?= $(ARM_CACHE)/$(CROSS)/sysroot
ifeq ($(wildcard $(CROSS_SYSROOT)/usr/include/bpf/libbpf.h),)
$(error no $(CROSS) sysroot in $(CROSS_SYSROOT): run `make cross ARCH=$(CROSS)` at the top)
endif

OUT := .build-$(CROSS)
CC := $(CROSS_TRIPLET)-gcc
CROSS_CFLAGS := -isystem $(CROSS_SYSROOT)/usr/include
CROSS_LDFLAGS := -static -L$(CROSS_SYSROOT)/usr/lib/$(CROSS_TRIPLET)

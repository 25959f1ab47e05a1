# SPDX-License-Identifier: GPL-2.0
#
# Cross builds for the Raspberry Pi's architectures, included by common/common.mk and
# lab/Makefile when CROSS is set:
#
#	make -C 01-hello-xdp CROSS=arm64	(or CROSS=armhf; `make cross` does every folder)
#
# The loader and the tests build into .build-$(CROSS)/ with Debian's cross compiler, against
# the sysroot that arm/fetch unpacked from Debian's packages for that architecture and
# release; they run in the emulated ARM kernels (arm/run). The BPF object needs nothing from
# here: it has no architecture, and the same rule builds it.

# CROSS is a target of arm/fetch: arm64 or armhf (Debian 13 trixie, today's Pi OS), or
# arm64-bookworm or armhf-bookworm (Debian 12, the previous one).
CROSS_ARCH := $(firstword $(subst -, ,$(CROSS)))
CROSS_TRIPLET_arm64 := aarch64-linux-gnu
CROSS_TRIPLET_armhf := arm-linux-gnueabihf
CROSS_TRIPLET := $(CROSS_TRIPLET_$(CROSS_ARCH))
ifeq ($(filter $(CROSS),arm64 armhf arm64-bookworm armhf-bookworm),)
$(error CROSS=$(CROSS): use CROSS=arm64, armhf, arm64-bookworm or armhf-bookworm)
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

# The sysroot is the whole userland a program links against, that release's C library as
# well as its libbpf (arm/fetch): the programs link dynamically, as on a Pi of that release,
# and arm/run puts the libraries they need in the VM. Debian's cross compiler searches its
# own C library (bookworm's, in /usr/TRIPLET) before any sysroot: name the sysroot's headers,
# start files and libraries first, or trixie's libbpf.so meets glibc 2.36 and its
# __isoc23_sscanf@GLIBC_2.38 is missing.
OUT := .build-$(CROSS)
CC := $(CROSS_TRIPLET)-gcc
CROSS_LIBDIR := $(CROSS_SYSROOT)/usr/lib/$(CROSS_TRIPLET)
CROSS_CFLAGS := --sysroot=$(CROSS_SYSROOT) -isystem $(CROSS_SYSROOT)/usr/include/$(CROSS_TRIPLET) \
	-isystem $(CROSS_SYSROOT)/usr/include
CROSS_LDFLAGS := --sysroot=$(CROSS_SYSROOT) -B$(CROSS_LIBDIR)/ -L$(CROSS_LIBDIR) \
	-Wl,-rpath-link,$(CROSS_LIBDIR)
# Debian 13 made time_t and file offsets 64-bit on 32-bit ARM (the "t64" transition): its
# libraries are built so, and its compiler defaults to it. Bookworm's cross compiler does not:
# without these, 07's loader and trixie's libpcap disagree on struct pcap_pkthdr (a timeval),
# and every capture file is garbage.
ifeq ($(CROSS),armhf)
CROSS_CFLAGS += -D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64
endif

# SPDX-License-Identifier: GPL-2.0
#
# Warnings, for every Makefile that compiles C (common.mk, lab/, tools/). A learner's plain
# `make` shows them and goes on: a newer compiler may warn where an older one did not (clang
# 19 and gcc 14 on Pi OS trixie, clang 14 and gcc 12 on bookworm), and that must not stop
# the course on the day a distribution moves on. `make test`, `make cross` and CI build with
# WERROR=1, where any warning fails the build: the course ships none.
ifeq ($(WERROR),1)
WERROR_FLAGS := -Werror
else
WERROR_FLAGS :=
endif

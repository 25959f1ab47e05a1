# SPDX-License-Identifier: GPL-2.0
#
# Root runs the privileged steps itself; anyone else goes through sudo. `env` carries the
# variables the tests read across sudo, which resets the environment. Used by the top
# Makefile (test, demo, lab, ...) and by common/exercises.mk (make exercise-N).
ifeq ($(shell id -u),0)
AS_ROOT := env
else
AS_ROOT = $(if $(shell command -v sudo 2>/dev/null),sudo env,$(error this step needs root \
	and there is no sudo: run it as root))
endif

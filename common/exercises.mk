# SPDX-License-Identifier: GPL-2.0
#
# The exercises of a lesson, included by common.mk when it has an exercises/ folder:
#
#	make exercises      each exercise, with its state for the code as it is now
#	make exercise-N     build your code as it is, load it, and judge what it does: one line
#	                    per expectation, exit 0 only when all hold
#	make solution-N     a hint, then the solution as a diff: from the repository's top,
#	                    `make -s -C LESSON solution-N | patch -p1`
#
# exercises/N.c is a check on frames (bpf_prog_test_run_opts, common/exercise.c), built into
# $(OUT)/exercises/N; exercises/N.sh one on real traffic in a lab of its own (tests/lib.sh).
# Either prints its title on its first line. solutions/N.patch is the solution, its first line
# the hint (patch skips lines before the diff). tests/test-exercises.sh proves every check:
# it fails on the lesson as shipped, passes with the solution and with tests/exercises/N-ok*.patch
# (another right way), and fails with tests/exercises/N-miss*.patch (near misses).

include $(COMMON)/root.mk

EXERCISE_C := $(wildcard exercises/[0-9]*.c)
EXERCISE_SH := $(wildcard exercises/[0-9]*.sh)
EXERCISE_NS := $(sort $(patsubst exercises/%.c,%,$(EXERCISE_C)) \
	$(patsubst exercises/%.sh,%,$(EXERCISE_SH)))
EXERCISE_BINS := $(patsubst exercises/%.c,$(OUT)/exercises/%,$(EXERCISE_C))
EXERCISE_ENV := XDP_OUT=$(if $(filter .build,$(OUT)),,$(OUT)) VERBOSE=$(VERBOSE) \
	PATH=/usr/sbin:/sbin:$(PATH)

.PHONY: exercises exercise-progs
test-progs: $(EXERCISE_BINS)
# what the checks run: the lesson's programs and the checks themselves (tests/test-exercises.sh)
exercise-progs: all $(EXERCISE_BINS)

$(OUT)/exercises:
	$(Q)mkdir -p $@

$(OUT)/exercises/%.o: exercises/%.c | $(OUT)/exercises
	$(call msg,CC,$@)
	$(Q)$(CC) $(USER_CFLAGS) -MMD -MP -c $< -o $@

$(EXERCISE_BINS): $(OUT)/exercises/%: $(OUT)/exercises/%.o $(OUT)/common-exercise.o \
		$(OUT)/common-testing.o $(OUT)/common-packets.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(USER_LDFLAGS) $^ $(LDLIBS) -o $@

# common/exercises.sh runs a check (as root: it loads programs), or all of them for the list.
EXERCISES_SH = $(AS_ROOT) $(EXERCISE_ENV) $(COMMON)/exercises.sh $(OUT)

exercise-%: all $(EXERCISE_BINS)
	@$(if $(filter $*,$(EXERCISE_NS)),:,echo "no exercise $*: make exercises lists them" >&2; exit 2)
	@$(EXERCISES_SH) $*

exercises: all $(EXERCISE_BINS)
	@$(EXERCISES_SH) list

# every solution built, each into $(OUT)/solutions/N/ (make cross: the ARM kernels' proofs)
.PHONY: solution-progs
solution-progs: exercise-progs
	$(call msg,SOLUTIONS,$(OUT)/solutions)
	$(Q)$(COMMON)/solutions.sh $(OUT) $(if $(CROSS),CROSS=$(CROSS)) $(if $(WERROR),WERROR=$(WERROR)) \
		$(if $(filter 1,$(SANITIZE)),SANITIZE=1)

solution-%:
	@$(if $(wildcard solutions/$*.patch),:,echo "no solution $*: make exercises lists them" >&2; exit 2)
	@cat solutions/$*.patch

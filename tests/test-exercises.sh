#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Every exercise's check, proven (common/exercises.mk): in a copy of the lesson as shipped, it
# fails (so it is not vacuous); with the solution applied, as `make solution-N | patch -p1`
# applies it, it passes; with each other right way of doing it (LESSON/tests/exercises/
# N-ok*.patch) it passes; with each near miss (N-miss*.patch) it fails. Each variant is a copy
# of the lesson built anew, from the files git ships. Needs root: the checks load programs.
# EXERCISE_LESSONS="05-redirect ..." proves only those lessons' exercises (and skips the
# closing tests/run checks): for a quicker round while writing one lesson's; unset, all.
# Under the sanitizers (make SANITIZE=1 test, XDP_OUT=.build-san) the checks run on the lesson
# as shipped and with its solution: that runs every check's own code both ways, which is what
# the sanitizers are for; the other variants prove verdicts, which the normal run proves.
# In the emulated ARM kernels (arm/run), which have no compiler, it proves what depends on the
# kernel, with the programs `make cross` built: each check fails on the lesson as shipped and
# passes with its solution (built into OUT/solutions/N/ by common/solutions.sh, -Werror). The
# other right ways and the near misses prove the checks' own logic, which the host proves.
# That runs in trixie's arm64 kernel (today's Pi OS; about 455 s there); the other runs, whose
# time the CI's limit counts, prove the lessons themselves on their kernels.
# arm/run: skip on armhf*,*-bookworm*: the exercises are proven in the arm64 (trixie) run
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

tap_require_root

if [ -n "${ARM_RUN:-}" ]; then
	out=${XDP_OUT:?arm/run sets XDP_OUT}
	built() {	# built LESSON N OUT: the check of exercise N on the programs in LESSON/OUT
		(cd "$TOP/$1" && env XDP_OUT="$3" "$TOP/common/exercises.sh" "$3" "$2") \
			>"$TMP/check" 2>&1
	}
	for lesson_dir in "$TOP"/[0-9][0-9]-*/; do
		lesson=$(basename "$lesson_dir")
		[ -d "$lesson_dir/exercises" ] || continue
		[ -z "${EXERCISE_LESSONS:-}" ] || [[ " $EXERCISE_LESSONS " == *" $lesson "* ]] ||
			continue
		for f in "$lesson_dir"/exercises/[0-9]*.c "$lesson_dir"/exercises/[0-9]*.sh; do
			[ -e "$f" ] || continue
			n=$(basename "${f%.*}")
			tap_ok "$lesson exercise $n: its check fails on the lesson as shipped" \
				eval '! built "$lesson" "$n" "$out" && grep -q WRONG "$TMP/check" ||
				      { tap_diag "$(cat "$TMP/check")"; false; }'
			tap_ok "$lesson exercise $n: passes with its solution (make cross built it)" \
				eval 'built "$lesson" "$n" "$out/solutions/$n" ||
				      { tap_diag "$(cat "$TMP/check")"; false; }'
		done
	done
	tap_done
	exit
fi
san=
[ "${XDP_OUT:-}" != .build-san ] || san=1
shipped=$TMP/shipped
mkdir -p "$shipped"
chmod 755 "$TMP"
# the course as shipped: what git has, not the edits of a learner's checkout
if git -C "$TOP" rev-parse --verify -q HEAD >/dev/null 2>&1; then
	git -C "$TOP" archive HEAD | tar -x -C "$shipped"
else
	(cd "$TOP" && find . -path ./.git -prune -o -path ./arm/.cache -prune -o -name '.build*' \
		-prune -o -type f -print | cpio -pdm --quiet "$shipped")
fi
# build DIR [WERROR]: the lesson's programs and checks, quietly; the output on failure. The
# lesson, its solutions and the other right ways build with -Werror (WERROR=1), as make test
# and make cross build the course; a near miss is a learner's code, which may warn.
build() {
	make -C "$1" SANITIZE="$san" WERROR="${2:-}" exercise-progs >"$TMP/build" 2>&1 ||
		{ tap_diag "$(tail -n 20 "$TMP/build")"; return 1; }
}
make -C "$shipped/lab" >/dev/null 2>&1 || tap_diag "lab/xmit does not build"

# A copy of the tree in which LESSON is a copy of the shipped, built one (the rest are links
# to the shipped tree: exercises edit only their lesson's files), PATCH applied, rebuilt.
variant() {	# variant LESSON PATCH [WERROR]: the copy's folder, or nothing if it would not
	local lesson=$1 patch=$2 werror=${3:-} dir f	# apply or build
	dir=$(mktemp -d "$TMP/variant.XXXXXX")
	for f in "$shipped"/* "$shipped"/.[!.]*; do
		[ -e "$f" ] || continue
		[ "$(basename "$f")" = "$lesson" ] || ln -s "$f" "$dir/$(basename "$f")"
	done
	cp -a "$shipped/$lesson" "$dir/$lesson"
	if [ -n "$patch" ] && ! patch -s -p1 -d "$dir" <"$patch" >"$TMP/patch" 2>&1; then
		tap_diag "$(cat "$TMP/patch")" >&2
		return 1
	fi
	build "$dir/$lesson" "$werror" >&2 || return 1
	echo "$dir"
}

check() {	# check DIR LESSON N: the check's exit status; its lines in $TMP/check
	(cd "$1/$2" && env XDP_OUT="${XDP_OUT:-}" "$1/common/exercises.sh" "${XDP_OUT:-.build}" "$3") \
		>"$TMP/check" 2>&1
}

passes() {	# passes LESSON N PATCH
	local dir
	dir=$(variant "$1" "$3" 1) || return 1
	check "$dir" "$1" "$2" || { tap_diag "$(cat "$TMP/check")"; return 1; }
}

fails() {	# fails LESSON N PATCH: the check fails (the variant builds: a near miss is code)
	local dir
	dir=$(variant "$1" "$3") || return 1
	! check "$dir" "$1" "$2" || { tap_diag "$(cat "$TMP/check")"; return 1; }
	grep -q "WRONG\|cannot be checked" "$TMP/check" || { tap_diag "$(cat "$TMP/check")"; return 1; }
}

for lesson_dir in "$shipped"/[0-9][0-9]-*/; do
	lesson=$(basename "$lesson_dir")
	[ -d "$lesson_dir/exercises" ] || continue
	[ -z "${EXERCISE_LESSONS:-}" ] || [[ " $EXERCISE_LESSONS " == *" $lesson "* ]] || continue
	if ! build "$lesson_dir" 1; then
		tap_ok "$lesson: builds as shipped, with its checks" false
		continue
	fi
	for f in "$lesson_dir"/exercises/[0-9]*.c "$lesson_dir"/exercises/[0-9]*.sh; do
		[ -e "$f" ] || continue
		n=$(basename "${f%.*}")
		ex="$lesson exercise $n"
		tap_ok "$ex: its check fails on the lesson as shipped" \
			eval '! check "$shipped" "$lesson" "$n" && grep -q WRONG "$TMP/check"'
		sol=$lesson_dir/solutions/$n.patch
		tap_ok "$ex: its solution starts with a one-line hint" \
			eval 'head -n 1 "$sol" | grep -q "^Hint: ."'
		(cd "$lesson_dir" && make -s solution-"$n") >"$TMP/solution" 2>&1
		# an offset or fuzz leaves a .orig file beside the learner's: tests/refresh-patches
		tap_ok "$ex: its solution applies exactly, without offset or fuzz" \
			eval '! patch -p1 --dry-run -d "$shipped" <"$TMP/solution" 2>&1 |
			      grep -q "offset\|fuzz\|FAILED"'
		tap_ok "$ex: passes with make solution-$n applied" passes "$lesson" "$n" "$TMP/solution"
		[ -z "$san" ] || continue
		for p in "$lesson_dir"/tests/exercises/"$n"-ok*.patch; do
			[ -e "$p" ] || continue
			tap_ok "$ex: passes with another right way, $(basename "$p")" \
				passes "$lesson" "$n" "$p"
		done
		misses=0
		for p in "$lesson_dir"/tests/exercises/"$n"-miss*.patch; do
			[ -e "$p" ] || continue
			misses=$((misses + 1))
			tap_ok "$ex: fails with a near miss, $(basename "$p")" fails "$lesson" "$n" "$p"
		done
		tap_ok "$ex: has at least one near miss to fail on" test "$misses" -gt 0
	done
done

if [ -n "${EXERCISE_LESSONS:-}" ]; then
	tap_done
	exit
fi
# make test on an edited tree (tests/run): a checkout of the shipped tree in which 02 has a
# solution applied says at the start which files differ, and, when 02's tests then fail, that
# 02's failing tests test the learner's code; as shipped it says neither.
edited=$TMP/edited
cp -a "$shipped" "$edited"
if git -C "$edited" init -q && git -C "$edited" add -A &&
   git -C "$edited" -c user.name=t -c user.email=t@example.com commit -qm shipped &&
   make -C "$edited/02-drop-all" SANITIZE="$san" test-progs >/dev/null 2>&1; then
	unit=$edited/02-drop-all/${XDP_OUT:-.build}/tests/unit
	"$edited/tests/run" -- "$unit" >"$TMP/run" 2>&1
	tap_ok "tests/run, as shipped: passes and names no edited file" \
		eval '! grep -q "NOTE\|has your edits" "$TMP/run" && grep -q "^Result: PASS" "$TMP/run"'
	(cd "$edited/02-drop-all" && make -s solution-2) | patch -s -p1 -d "$edited"
	make -C "$edited/02-drop-all" SANITIZE="$san" test-progs >/dev/null 2>&1
	"$edited/tests/run" -- "$unit" >"$TMP/run" 2>&1
	tap_ok "tests/run, with 02's exercise 2 done: names the edited file first" \
		eval 'grep -A1 "NOTE .*differ from the ones shipped" "$TMP/run" |
		      grep -q "02-drop-all/drop_all.bpf.c"'
	tap_ok "... and, 02's unit test failing, says that it tests the learner's code" \
		grep -qx "02-drop-all: drop_all.bpf.c has your edits: its failing tests test your code" \
		"$TMP/run"
else
	tap_ok "a git checkout of the shipped tree builds 02" false
fi

tap_done

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds every solution of a lesson, from the lesson's folder (common/exercises.mk):
#	common/solutions.sh OUT MAKE_ARGS...
# Each solutions/N.patch is applied to a scratch copy of the lesson, which is built with
# `make MAKE_ARGS exercise-progs` -- the lesson's programs and its checks -- into OUT/solutions/N/.
# `make cross` builds them so for the emulated ARM kernels, which have no compiler: there
# tests/test-exercises.sh proves each check on the lesson as shipped and with its solution
# built here. The copy starts from this lesson's OUT, so make rebuilds only what the solution
# changed; the rest of the tree is linked, as exercises edit only their lesson's files.
set -euo pipefail

[ $# -ge 1 ] || { echo "usage: common/solutions.sh OUT MAKE_ARGS..." >&2; exit 2; }
OUT=$1
shift
lesson=$(basename "$PWD")
top=$(cd .. && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -rf "$OUT/solutions"
for patch in solutions/[0-9]*.patch; do
	[ -e "$patch" ] || continue
	n=$(basename "$patch" .patch)
	tree=$tmp/$n
	mkdir -p "$tree/$lesson"
	for f in "$top"/* "$top"/.[!.]*; do
		[ "$(basename "$f")" = "$lesson" ] || ln -s "$f" "$tree/"
	done
	tar -c --exclude='./.build*' . | tar -x -C "$tree/$lesson"
	mkdir -p "$tree/$lesson/$OUT"
	tar -c -C "$OUT" --exclude=./solutions . | tar -x -C "$tree/$lesson/$OUT"
	if ! patch -s -p1 -d "$tree" <"$patch" >"$tmp/patch" 2>&1; then
		echo "$lesson: solutions/$n.patch does not apply: $(head -n 1 "$tmp/patch")" >&2
		exit 1
	fi
	if ! make -s -C "$tree/$lesson" "$@" exercise-progs >"$tmp/build" 2>&1; then
		cat "$tmp/build" >&2
		echo "$lesson: solution $n does not build with make $*" >&2
		exit 1
	fi
	mkdir -p "$OUT/solutions"
	cp -a "$tree/$lesson/$OUT" "$OUT/solutions/$n"
done

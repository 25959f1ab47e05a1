#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs a lesson's exercise checks, from the lesson's folder (common/exercises.mk):
#	common/exercises.sh OUT N      the check of exercise N: its lines, its exit status
#	common/exercises.sh OUT list   every exercise, its state for the code as it is now
# A check is OUT/exercises/N (built from exercises/N.c) or the script exercises/N.sh.
set -euo pipefail

usage() {
	echo "usage: common/exercises.sh OUT N|list" >&2
	exit 2
}

check_cmd() {	# check_cmd N: the command that checks exercise N
	if [ -f "exercises/$1.c" ]; then
		echo "$OUT/exercises/$1"
	elif [ -f "exercises/$1.sh" ]; then
		echo "exercises/$1.sh"
	else
		echo "no exercise $1: make exercises lists them" >&2
		exit 2
	fi
}

list() {
	local f n out rc state
	echo "Exercises of $(basename "$PWD") (make exercise-N checks one, make solution-N shows one):"
	for f in exercises/[0-9]*.c exercises/[0-9]*.sh; do
		[ -e "$f" ] || continue
		n=$(basename "${f%.*}")
		rc=0
		out=$("$(check_cmd "$n")" 2>&1) || rc=$?
		state="done"
		[ "$rc" = 0 ] || state="to do"
		printf '  %-3s %-6s %s\n' "$n" "$state" "$(head -n 1 <<<"$out")"
	done | sort -n
}

[ $# = 2 ] || usage
OUT=$1
case $2 in
list) list ;;
[0-9]*) exec "$(check_cmd "$2")" ;;
*) usage ;;
esac

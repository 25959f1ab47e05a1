#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The build, in a copy of the tree: a normal user builds everything, the loaders then ask for
# sudo, and make rebuilds exactly what an edit affects.
# arm/run: skip it builds the course, and the emulated ARM VMs have no compiler
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

tap_require_root	# to become another user; the build itself runs as nobody
tree=$TMP/tree
mkdir -p "$tree"
chmod 755 "$TMP"
# the files git knows or would add: no build output, no downloads
(cd "$TOP" && git ls-files -co --exclude-standard -z) | (cd "$TOP" && xargs -0 cp --parents -t "$tree")
chown -R nobody:nogroup "$tree"
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$tree" "$@"; }
# The normal build, whatever make this test runs under: `make SANITIZE=1 test`, as root, hands
# SANITIZE=1 down in the environment and in MAKEFLAGS, and the loaders would land in .build-san/.
build() { as_nobody env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SANITIZE make -C "$tree" all 2>&1; }

lessons=$(cd "$tree" && printf '%s ' [0-9][0-9]-*)
app_of() { sed -n 's/^APP *:= *//p' "$tree/$1/Makefile"; }

tap_ok "a normal user (nobody) builds everything with make" eval 'build >"$TMP/first"'
for l in $lessons; do
	bin=$tree/$l/$(app_of "$l")
	tap_ok "$l: the loader is built" test -x "$bin"
	args=(-i lo)	# a command line each loader accepts, so that only root is missing
	[ "$(app_of "$l")" = redirect ] && args+=(--to lo2)
	[ "$(app_of "$l")" = tunnel ] && args+=(--to lo2 --remote 203.0.113.2 --net 192.0.2.0/24 --vni 42)
	[ "$(app_of "$l")" = capture ] && args+=(-w /dev/null)
	as_nobody "$bin" "${args[@]}" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	tap_ok "$l: as a normal user it says, in one line, to use sudo (exit $rc)" \
		eval '[ $rc = 1 ] && [ "$(wc -l <"$TMP/err")" = 1 ] && grep -q "needs root.*sudo" "$TMP/err"'
done

tap_is "$(build | grep -cE '^  (BPF|SKEL|CC|LINK) ')" 0 "a second make rebuilds nothing"

touch "$tree/common/loader.h"
build >"$TMP/out"
for l in $lessons; do
	tap_ok "touching common/loader.h relinks $l's loader" \
		grep -qx "  LINK     $l/$(app_of "$l")" "$TMP/out"
done
tap_is "$(grep -c '^  BPF ' "$TMP/out")" 0 "... and recompiles no BPF object"

touch "$tree/01-hello-xdp/hello.bpf.c"
start=$(date +%s%N)
build >"$TMP/out"
ms=$((($(date +%s%N) - start) / 1000000))
tap_ok "touching 01-hello-xdp/hello.bpf.c rebuilds its object, skeleton and loader" \
	eval 'grep -q "BPF *01-hello-xdp/.build/hello.bpf.o" "$TMP/out" &&
	      grep -q "SKEL *01-hello-xdp/.build/hello.skel.h" "$TMP/out" &&
	      grep -qx "  LINK     01-hello-xdp/hello" "$TMP/out"'
tap_is "$(grep -E '^  (BPF|SKEL|CC|LINK) ' "$TMP/out" | grep -vc ' 01-hello-xdp/')" 0 \
	"... and nothing outside lesson 01"
tap_diag "rebuilding lesson 01 after touching hello.bpf.c took $ms ms (make bench measures it)"

# A warning (an unused variable, here) does not stop a learner's plain make, and fails the
# build under WERROR=1, as in make test and CI (common/warnings.mk).
cp "$tree/01-hello-xdp/hello.bpf.c" "$TMP/hello.bpf.c"
echo 'static int unused_by_the_test(void) { int x; return 0; }' >>"$tree/01-hello-xdp/hello.bpf.c"
tap_ok "a warning in hello.bpf.c: plain make warns and builds the loader" \
	eval 'build >"$TMP/out" && grep -q "warning: unused" "$TMP/out" &&
	      grep -qx "  LINK     01-hello-xdp/hello" "$TMP/out"'
touch "$tree/01-hello-xdp/hello.bpf.c"
tap_ok "... and make WERROR=1 stops at it" \
	eval '! as_nobody env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$tree/01-hello-xdp" \
		WERROR=1 >"$TMP/out" 2>&1 && grep -q "error: unused" "$TMP/out"'
cp "$TMP/hello.bpf.c" "$tree/01-hello-xdp/hello.bpf.c"

tap_done

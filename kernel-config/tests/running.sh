#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# kernel-config/check on the running kernel: as root it passes here and reports this kernel's
# JIT, BTF and XDP mode; its probes run only in a namespace of its own, which is gone
# afterwards however the check ends; as a normal user it still reports the configuration and
# names the probes that need root. Stand-in probes (CHECK_PROBE) play older kernels.
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../../tests/lib.sh"

tap_require_root

CHECK=$TOP/kernel-config/check
mkdir -p "$TMP/tmpdir" "$TMP/nobody"
chmod 755 "$TMP"
chmod 1777 "$TMP/nobody"
# nobody may not reach this checkout (a clone under /root, say): it runs a copy of the checker,
# which needs nothing else as long as it does not probe
USER_CHECK=$TMP/check
install -m 755 "$CHECK" "$USER_CHECK"

row_of() {	# row_of NAME REPORT-FILE: "state/verdict"
	awk -v n="$1" '$1 == n { print $2 "/" $3; exit }' "$2"
}

# Run the check in the background, to know the pid that names its namespace (xdpcheck<pid>).
check_bg() {	# check_bg OUT COMMAND...: sets rc and pid
	local out=$1
	shift
	TMPDIR=$TMP/tmpdir "$@" >"$out" 2>&1 &
	pid=$!
	wait "$pid"
	rc=$?
}

has_ns() { ip netns list 2>/dev/null | awk -v ns="$1" '$1 == ns { f = 1 } END { exit !f }'; }
no_ns() { ! has_ns "$1"; }
dead() { ! kill -0 "$(cat "$1")" 2>/dev/null; }	# dead PIDFILE
xdp_here() { ip -details link show | grep -c 'prog/xdp' || true; }
links_here() { ip -brief link show | awk '{ print $1 }' | sort | tr '\n' ' '; }

# What this kernel is, to compare the check's report with.
if [ "$(cat /proc/sys/net/core/bpf_jit_enable 2>/dev/null)" = 0 ]; then
	want_jit=off/warn
elif [ -e /proc/sys/net/core/bpf_jit_enable ]; then
	want_jit=on/ok
else
	want_jit=none/warn
fi
want_btf=no/off
[ ! -e /sys/kernel/btf/vmlinux ] || want_btf=yes/ok
want_printk=no/off
if zcat /proc/config.gz 2>/dev/null | grep -qx CONFIG_BPF_EVENTS=y ||
   grep -qsx CONFIG_BPF_EVENTS=y "/boot/config-$(uname -r)"; then
	want_printk=yes/ok
fi

links_before=$(links_here)
xdp_before=$(xdp_here)
check_bg "$TMP/root" "$CHECK"
tap_is "$rc" 0 "as root, on this kernel: exit 0, every lesson can run"
for pair in jit=$want_jit btf=$want_btf netns-veth=made/ok vxlan-bridge=made/ok bpf-load=works/ok \
	    ringbuf-map=yes/ok xdp-load-bytes=yes/ok trace_printk=$want_printk \
	    xdp-attach=native/ok \
	    xdp-generic=yes/ok live-run=yes/ok; do
	tap_is "$(row_of "${pair%%=*}" "$TMP/root")" "${pair#*=}" \
		"as root: ${pair%%=*} is ${pair#*=}"
done
codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
case $codename in
trixie|bookworm) want_userland="tested" ;;
*) want_userland="not tested" ;;
esac
tap_ok "as root: it names the userland ($codename: $want_userland)" \
	eval 'grep -q "^The userland: .*: $want_userland" "$TMP/root"'
tap_ok "as root: its namespace xdpcheck$pid is gone" no_ns "xdpcheck$pid"
tap_is "$(links_here)" "$links_before" \
	"as root: this namespace has the same interfaces as before"
tap_is "$(xdp_here)" "$xdp_before" "as root: no XDP program was left on them"
tap_is "$(ls -A "$TMP/tmpdir")" "" "as root: no temporary file is left"
tap_is "$(awk 'length > 80' "$TMP/root")" "" "as root: every line fits 80 columns"

# --quiet: a line for each row of the full report that warns, none for the rest (on this
# machine none may warn; the 32-bit ARM kernel of arm/run warns of its JIT and BTF)
check_bg "$TMP/quiet" "$CHECK" --quiet
warn_rows=$(awk '/^  [^ ]/ && $3 ~ /^(warn|MISSING|FAILED)$/ { print $1 }' "$TMP/root" | sort | xargs)
tap_is "$rc $(awk '{ print $1 }' "$TMP/quiet" | sort | xargs)" "0 $warn_rows" \
	"--quiet as root on this kernel: exit 0, a line for each warning of the report, no more"

# A normal user: the configuration, the JIT and BTF; the rest needs root.
as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups env TMPDIR="$TMP/nobody" "$@"; }
check_bg "$TMP/user" as_nobody "$USER_CHECK"
tap_is "$rc" 0 "as nobody: exit 0, by the configuration"
tap_is "$(sed -n '/^  BPF_SYSCALL /,/^  IKCONFIG_PROC /p' "$TMP/user")" \
	"$(sed -n '/^  BPF_SYSCALL /,/^  IKCONFIG_PROC /p' "$TMP/root")" \
	"as nobody: the same configuration report as root's"
tap_is "$(row_of jit "$TMP/user") $(row_of btf "$TMP/user")" "$want_jit $want_btf" \
	"as nobody: the JIT and BTF rows as root's"
probes="netns-veth vxlan-bridge bpf-load ringbuf-map xdp-load-bytes trace_printk xdp-attach"
probes+=" xdp-generic live-run"
tap_is "$(awk '$3 == "needs-root" { printf "%s ", $1 }' "$TMP/user")" "$probes " \
	"as nobody: the nine probes that need root say so"
tap_ok "as nobody: it says how to run them" grep -q 'sudo kernel-config/check' "$TMP/user"
tap_ok "as nobody: no namespace was made" no_ns "xdpcheck$pid"
tap_is "$(ls -A "$TMP/nobody")" "" "as nobody: no temporary file is left"

# No configuration to read (none in /proc, none in /boot), in a mount namespace of our own:
# a normal user has nothing to go by (exit 3); root still has the probes.
touch "$TMP/hidden"
chmod 000 "$TMP/hidden"
hide_config() {
	# shellcheck disable=SC2016  # $0 and $@ are the inner shell's
	unshare -m bash -c 'mount --bind "$0" /proc/config.gz 2>/dev/null
		mount -t tmpfs none /boot && exec "$@"' "$TMP/hidden" "$@"
}
check_bg "$TMP/out" hide_config setpriv --reuid=nobody --regid=nogroup --clear-groups \
	env TMPDIR="$TMP/nobody" "$USER_CHECK"
tap_is "$rc" 3 "no configuration, as nobody: nothing to go by, exit 3"
tap_ok "... and it says why" grep -q 'nothing to go by' "$TMP/out"
check_bg "$TMP/out" hide_config "$CHECK"
tap_is "$rc $(row_of xdp-attach "$TMP/out")" "0 native/ok" \
	"no configuration, as root: the probes decide, exit 0"

# What follows plays other kernels with stand-in probes, and signals: the check's own logic,
# the same on every kernel. Of arm/run's runs, arm64-bookworm checks it (about 190 s there:
# that run has the fewest other tests); the others' time is better spent on their kernels.
if [ -n "${ARM_RUN:-}" ] && [ "$ARM_RUN" != arm64-bookworm ]; then
	tap_diag "stand-in probes and signals: checked in the arm64-bookworm run, not in $ARM_RUN"
	tap_done
	exit
fi

# Stand-in probes. The first tells where it runs: in the check's namespace, on its veth.
cat >"$TMP/where" <<EOF
#!/bin/sh
{ ip netns identify; echo "\$1"; ip -brief link show | cut -d@ -f1 | awk '{ print \$1 }' | sort; } \
	>"$TMP/where.out"
printf 'bpf=ok\nringbuf=yes\nxdp_load_bytes=yes\ntrace_printk=yes\nxdp_link=native\n'
printf 'xdp_generic=yes\nlive_frames=yes\n'
EOF
chmod +x "$TMP/where"
check_bg "$TMP/out" env CHECK_PROBE="$TMP/where" "$CHECK"
tap_is "$(tr '\n' ' ' <"$TMP/where.out")" "xdpcheck$pid veth0 lo veth0 veth1 " \
	"the probe runs in the check's own namespace xdpcheck$pid, on its veth0, and sees no more"

# Linux 5.4: no ring buffer, no bpf_xdp_load_bytes, no bpf_printk, XDP only through netlink,
# no live frames.
cat >"$TMP/old" <<'EOF'
#!/bin/sh
printf 'bpf=ok\nringbuf=no\nxdp_load_bytes=no\ntrace_printk=no\n'
printf 'xdp_link=error: Invalid argument\n'
printf 'xdp_netlink=native\nxdp_generic=yes\nlive_frames=no\n'
EOF
chmod +x "$TMP/old"
check_bg "$TMP/out" env CHECK_PROBE="$TMP/old" "$CHECK"
tap_is "$rc" 1 "a kernel like 5.4 (stand-in probe): exit 1"
for pair in ringbuf-map=no/FAILED xdp-load-bytes=no/FAILED trace_printk=no/off \
	    xdp-attach=error/FAILED xdp-generic=yes/ok live-run=no/warn; do
	tap_is "$(row_of "${pair%%=*}" "$TMP/out")" "${pair#*=}" "... ${pair%%=*} is ${pair#*=}"
done
tap_ok "... and XDP attaches, but not through a bpf_link: it says Linux 5.9" \
	grep -q 'not through a bpf_link: needs Linux 5.9' "$TMP/out"
tap_ok "... and 07's bpf_xdp_load_bytes() is missing: it says Linux 5.18" \
	grep -q 'no bpf_xdp_load_bytes() in XDP: needs Linux 5.18' "$TMP/out"

# Linux 5.10 to 5.17: a ring buffer, but no bpf_xdp_load_bytes: 07 alone cannot run.
cat >"$TMP/no-load-bytes" <<'EOF'
#!/bin/sh
printf 'bpf=ok\nringbuf=yes\nxdp_load_bytes=no\ntrace_printk=yes\nxdp_link=native\n'
printf 'xdp_generic=yes\nlive_frames=no\n'
EOF
chmod +x "$TMP/no-load-bytes"
check_bg "$TMP/out" env CHECK_PROBE="$TMP/no-load-bytes" "$CHECK"
tap_is "$rc $(row_of xdp-load-bytes "$TMP/out") $(row_of ringbuf-map "$TMP/out")" \
	"1 no/FAILED yes/ok" "no bpf_xdp_load_bytes() (stand-in probe, 5.10 to 5.17): exit 1"
tap_ok "... and the summary names it" grep -q "xdp-load-bytes\.$" "$TMP/out"

# bpf() refused: nothing else to probe.
printf '#!/bin/sh\necho "bpf=error: Operation not permitted"\nexit 1\n' >"$TMP/noperm"
chmod +x "$TMP/noperm"
check_bg "$TMP/out" env CHECK_PROBE="$TMP/noperm" "$CHECK"
tap_is "$rc $(row_of bpf-load "$TMP/out") $(row_of xdp-attach "$TMP/out")" "1 error/FAILED " \
	"bpf() refused (stand-in probe): exit 1, bpf-load failed, no XDP row"
tap_ok "... with the kernel's reason" grep -q 'Operation not permitted' "$TMP/out"

# No probe built: the check says how to build it, and the configuration still decides.
check_bg "$TMP/out" env CHECK_PROBE="$TMP/not-built" "$CHECK"
tap_is "$rc $(row_of netns-veth "$TMP/out") $(row_of bpf-load "$TMP/out")" "0 made/ok " \
	"no probe built: exit 0 by the configuration, no probe rows"
tap_ok "... and it says to run make" grep -q 'the probe is not built: run make' "$TMP/out"
tap_ok "... and its namespace is gone" no_ns "xdpcheck$pid"

# A signal in the middle of the probes: the probe and the namespace go with the check.
cat >"$TMP/slow" <<EOF
#!/bin/sh
echo \$\$ >"$TMP/slow.pid"
exec sleep 30
EOF
chmod +x "$TMP/slow"
for sig in TERM INT HUP; do
	rm -f "$TMP/slow.pid"
	# perl: a background job ignores SIGINT, and the check could not trap it otherwise
	TMPDIR=$TMP/tmpdir CHECK_PROBE=$TMP/slow perl -e '$SIG{INT} = "DEFAULT"; exec @ARGV' \
		"$CHECK" >"$TMP/out" 2>&1 &
	pid=$!
	wait_for 60 test -s "$TMP/slow.pid"	# more than 10 s in an emulated ARM kernel (arm/run)
	tap_ok "SIG$sig during the probe: the namespace xdpcheck$pid is there meanwhile" \
		has_ns "xdpcheck$pid"
	kill "-$sig" "$pid"
	wait "$pid"
	rc=$?
	case $sig in TERM) want=143 ;; INT) want=130 ;; HUP) want=129 ;; esac
	tap_is "$rc" "$want" "SIG$sig during the probe: the check exits $want"
	tap_ok "SIG$sig during the probe: the namespace is gone" no_ns "xdpcheck$pid"
	tap_ok "SIG$sig during the probe: the probe is gone" dead "$TMP/slow.pid"
done
tap_is "$(ls -A "$TMP/tmpdir")" "" "no temporary file is left by any of these checks"

tap_done

#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# What the course needs, checked and installed.
#   common/deps.sh check     exit 1 and name what is missing (no root needed)
#   common/deps.sh install   install what is missing on Debian, Ubuntu and Raspberry Pi OS
#                            (as root, or through sudo); elsewhere, say what to install
#   common/deps.sh check|install cross   the same, with what `make cross` and `make test-arm`
#                            need as well (cross compilers, QEMU; arm/README.md)
#   common/deps.sh check|install bench   the same, with what `make bench` needs as well (the
#                            stack's own filters, to compare XDP with)
#   common/deps.sh check|install docs    the same, with what `make diagrams` needs as well
#                            (Graphviz, which draws the SVGs from their .dot sources)
set -euo pipefail

# command or file -> Debian package
NEEDS=(
	"clang:clang"			# compiles the XDP programs (-target bpf)
	"llvm-objdump:llvm"		# shows their bytecode
	"cc:gcc"			# compiles the loaders and tests
	"make:make"
	"bpftool:bpftool"		# turns an object into a skeleton header
	"/usr/include/bpf/libbpf.h:libbpf-dev"
	"/usr/include/gelf.h:libelf-dev"	# libbpf reads ELF objects
	"/usr/include/zlib.h:zlib1g-dev"
	"/usr/include/libmnl/libmnl.h:libmnl-dev"	# netlink for the guard (common/guard.c)
	"/usr/include/xdp/xsk.h:libxdp-dev"	# AF_XDP sockets and their rings (06-af-xdp)
	"/usr/include/pcap/pcap.h:libpcap-dev"	# lesson 07 writes capture files
	"tcpdump:tcpdump"		# 07 reads its capture files back with it, 08 decodes VXLAN on the wire
	"/usr/include/linux/bpf.h:linux-libc-dev"
	"/usr/include/stdio.h:libc6-dev"
	"ip:iproute2"			# the lab: namespaces, veth pairs
	"ping:iputils-ping"		# traffic in the lab
	"sysctl:procps"			# the lab turns IPv6 off on its links
	"ethtool:ethtool"		# the router lab turns GRO on (lesson 05)
	"setpriv:util-linux"		# the tests run a loader as a normal user
	"socat:socat"			# a real UDP client for 06's echo server
	"prove:perl"			# runs the tests (TAP)
	"patch:patch"			# applies an exercise's solution (make solution-N | patch -p1)
	"rsvg-convert:librsvg2-bin"	# tests/test-docs.sh renders every diagram (SVG)
)

# The cross builds and the emulated ARM runs. The ARM packages themselves (libbpf, the kernels,
# the VM's userland) are not installed: arm/fetch downloads and unpacks them into arm/.cache/.
CROSS_NEEDS=(
	"aarch64-linux-gnu-gcc:gcc-aarch64-linux-gnu"		# arm64: a Pi 3/4/5, 64-bit OS
	"/usr/aarch64-linux-gnu/include/stdio.h:libc6-dev-arm64-cross"
	"arm-linux-gnueabihf-gcc:gcc-arm-linux-gnueabihf"	# armhf: 32-bit Raspberry Pi OS
	"/usr/arm-linux-gnueabihf/include/stdio.h:libc6-dev-armhf-cross"
	"qemu-system-aarch64:qemu-system-arm"	# this package has both emulators
	"qemu-system-arm:qemu-system-arm"
	"cpio:cpio"				# packs the initramfs
	"readelf:binutils"			# finds the libraries of the VM's tools
	"dpkg-deb:dpkg"				# unpacks the downloaded packages
	"modinfo:kmod"				# the order of the kernel modules the VMs load
	"xz:xz-utils"				# trixie's kernel modules are .ko.xz
	"/usr/share/keyrings/debian-archive-keyring.gpg:debian-archive-keyring"
)

# make bench drops a flood with XDP and with the stack's filters, side by side (bench/run).
BENCH_NEEDS=(
	"iptables:iptables"		# iptables (nf_tables backend) and iptables-legacy
	"nft:nftables"
)

# make diagrams redraws the SVGs from their Graphviz sources.
DOCS_NEEDS=(
	"dot:graphviz"
)

# The oldest libbpf the code builds with: bpf_map__update_elem, bpf_xdp_query and
# bpf_prog_test_run_opts came in 0.8. The course is tested with 1.1 (Debian 12) and 1.5
# (Debian 13). libbpf_version.h says which one is installed (a feature test, not a name).
LIBBPF_MIN=0.8
LIBBPF_VERSION_H=${LIBBPF_VERSION_H:-/usr/include/bpf/libbpf_version.h}

# Nothing, or one line saying that the installed libbpf is too old.
libbpf_too_old() {
	local major minor
	[ -r "$LIBBPF_VERSION_H" ] || {	# before 0.6 there was no such header
		echo "deps: libbpf is older than $LIBBPF_MIN (no bpf/libbpf_version.h): the lessons" \
			"need $LIBBPF_MIN or later (tested: 1.1 and 1.5)"
		return
	}
	major=$(sed -n 's/^#define LIBBPF_MAJOR_VERSION \([0-9]*\).*/\1/p' "$LIBBPF_VERSION_H")
	minor=$(sed -n 's/^#define LIBBPF_MINOR_VERSION \([0-9]*\).*/\1/p' "$LIBBPF_VERSION_H")
	if [ "${major:-0}" -eq 0 ] && [ "${minor:-0}" -lt "${LIBBPF_MIN#0.}" ]; then
		echo "deps: libbpf $major.$minor is older than $LIBBPF_MIN: the lessons need" \
			"bpf_map__update_elem and bpf_xdp_query (tested: 1.1 and 1.5)"
	fi
}

have() {
	case $1 in
	/*) [ -e "$1" ] ;;
	*) PATH=$PATH:/usr/sbin:/sbin command -v "$1" >/dev/null 2>&1 ;;
	esac
}

missing_packages() {
	local entry
	for entry in "${NEEDS[@]}"; do
		have "${entry%%:*}" || echo "${entry#*:}"
	done | sort -u
}

# Ubuntu ships bpftool in linux-tools for the running kernel; Debian and Pi OS as bpftool.
debian_name() {
	local policy
	policy=$(apt-cache policy "$1" 2>/dev/null)	# not piped into grep -q: pipefail and SIGPIPE
	if [ "$1" = bpftool ] && ! grep -q 'Candidate: [0-9]' <<<"$policy"; then
		echo "linux-tools-common linux-tools-$(uname -r)"
	else
		echo "$1"
	fi
}

elsewhere() {
	cat >&2 <<EOF
deps: this is not a Debian-family system; install the equivalents of:
  $*
  Fedora:  sudo dnf install clang llvm gcc make bpftool libbpf-devel elfutils-libelf-devel \\
           zlib-devel kernel-headers iproute iputils util-linux procps-ng ethtool \\
           perl-Test-Harness librsvg2-tools
  Arch:    sudo pacman -S clang llvm gcc make bpf libbpf libelf zlib linux-api-headers \\
           iproute2 iputils util-linux procps-ng ethtool perl librsvg
EOF
	exit 1
}

install() {
	local pkgs=("$@") sudo=() try pkg names=()
	command -v apt-get >/dev/null || elsewhere "${pkgs[*]}"
	if [ "$(id -u)" != 0 ]; then
		command -v sudo >/dev/null ||
			{ echo "deps: missing ${pkgs[*]}; as root run: apt-get install ${pkgs[*]}" >&2; exit 1; }
		sudo=(sudo)
	fi
	# An index that is out of sync with the mirror makes update fail now and then: retry,
	# then carry on with the lists we have.
	for try in 1 2 3; do
		"${sudo[@]}" apt-get update -qq && break
		echo "deps: apt-get update failed (try $try of 3)" >&2
		sleep $((try * 5))
	done
	for pkg in "${pkgs[@]}"; do
		# shellcheck disable=SC2207
		names+=($(debian_name "$pkg"))
	done
	echo "deps: installing ${names[*]}"
	"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends "${names[@]}" >/dev/null
}

main() {
	local missing old
	[ "${2:-}" != cross ] || NEEDS+=("${CROSS_NEEDS[@]}")
	[ "${2:-}" != bench ] || NEEDS+=("${BENCH_NEEDS[@]}")
	[ "${2:-}" != docs ] || NEEDS+=("${DOCS_NEEDS[@]}")
	missing=$(missing_packages | tr '\n' ' ')
	case ${1:-check} in
	check)
		if [ -n "$missing" ]; then
			echo "deps: missing packages: $missing" >&2
			echo "deps: install them with \`make deps\` (apt-get, through sudo)" >&2
			exit 1
		fi
		old=$(libbpf_too_old)
		[ -z "$old" ] || { echo "$old" >&2; exit 1; } ;;
	install)
		[ -z "$missing" ] && exit 0
		# shellcheck disable=SC2086
		install $missing
		missing=$(missing_packages | tr '\n' ' ')
		[ -z "$missing" ] || { echo "deps: still missing: $missing" >&2; exit 1; } ;;
	*)
		echo "usage: common/deps.sh check|install [cross|bench|docs]" >&2
		exit 2 ;;
	esac
}

main "$@"

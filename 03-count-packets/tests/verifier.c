// SPDX-License-Identifier: GPL-2.0
/* The verifier lesson of 03 (README.md, "Break it"). broken_no_null_check.bpf.o must be refused
 * with the words the README quotes. broken_arm32_atomic.bpf.o is broken only where the JIT cannot
 * compile a 64-bit atomic add -- the 32-bit ARM JIT -- so here the test checks what the machine it
 * runs on can show: the object holds those instructions, and a kernel that loads it counts right;
 * a kernel that refuses it must be a 32-bit ARM one with the JIT on. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "testing.h"
#include "count_packets.h"

static const struct refusal no_null_check = {
	.object = "broken_no_null_check.bpf.o",
	.err = EACCES,
	.verdicts = { "R0 invalid mem access 'map_value_or_null'" },
};

/* The kernel's ENOTSUPP, which user space has no name for: "the JIT could not do it". */
#define KERNEL_ENOTSUPP 524

/* A 32-bit ARM kernel (armv6l, armv7l, ...) with its BPF JIT on: the one place where a 64-bit
 * atomic add cannot load. It is the kernel's architecture that counts, not this program's. */
static bool arm32_jit(char *machine, size_t size)
{
	struct utsname u;
	FILE *f;
	int jit = 0;

	if (uname(&u))
		return false;
	snprintf(machine, size, "%s", u.machine);
	f = fopen("/proc/sys/net/core/bpf_jit_enable", "r");
	if (f) {
		if (fscanf(f, "%d", &jit) != 1)
			jit = 0;
		fclose(f);
	}
	return !strncmp(u.machine, "arm", 3) && jit;
}

static void check_arm32_atomic(void)
{
	static const __u32 sizes[] = { 60, 98, 1514 };
	char path[PATH_MAX], machine[65];
	struct bpf_object *obj;
	struct bpf_program *prog;
	const struct bpf_insn *insns;
	struct counters c = { 0 };
	struct xdp_result res;
	__u8 frame[PKT_MAX];
	__u32 key = 0, bytes = 0;
	size_t i, n, atomics = 0;
	bool arm32 = arm32_jit(machine, sizeof(machine));
	int err, map_fd;

	if (!test_path(path, sizeof(path), "../broken_arm32_atomic.bpf.o")) {
		ok(false, "broken_arm32_atomic.bpf.o: cannot tell where this test program is");
		return;
	}
	obj = bpf_object__open_file(path, NULL);
	if (!ok(obj != NULL, "broken_arm32_atomic.bpf.o opens"))
		return;
	prog = bpf_object__find_program_by_name(obj, "broken_arm32_atomic");
	insns = prog ? bpf_program__insns(prog) : NULL;
	n = prog ? bpf_program__insn_cnt(prog) : 0;
	for (i = 0; i < n; i++)
		if (insns[i].code == (BPF_STX | BPF_DW | BPF_ATOMIC) && insns[i].imm == BPF_ADD)
			atomics++;
	is_u64(atomics, 2, "broken_arm32_atomic.bpf.o: two 64-bit atomic adds (opcode 0xdb)");

	err = bpf_object__load(obj);
	if (err) {
		ok(arm32 && err == -KERNEL_ENOTSUPP,
		   "this %s kernel refuses it (%d), as only a 32-bit ARM JIT may", machine, err);
		bpf_object__close(obj);
		return;
	}
	ok(!arm32, "this %s kernel loads it (not a 32-bit ARM one with the JIT on)", machine);

	/* and runs it: exact counts in the one shared value */
	map_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "stats"));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct pkt_spec spec;
		int len;

		pkt_spec_init(&spec, ETH_P_IP, IPPROTO_UDP);
		spec.size = sizes[i];
		len = pkt_build(&spec, frame, sizeof(frame));
		if (xdp_run(bpf_program__fd(prog), 0, frame, len, &res) || res.verdict != XDP_PASS)
			diag("  frame %zu: the run failed or did not pass", i);
		bytes += len;
	}
	if (bpf_map_lookup_elem(map_fd, &key, &c))
		diag("  reading the map failed: %s", strerror(errno));
	is_u64(c.packets, 3, "... and after 3 frames its shared counter says 3 packets");
	is_u64(c.bytes, bytes, "... and %u bytes", bytes);
	bpf_object__close(obj);
}

int main(void)
{
	tap_require_root();
	check_refusal(&no_null_check);
	check_arm32_atomic();
	return tap_done();
}

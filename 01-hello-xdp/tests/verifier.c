// SPDX-License-Identifier: GPL-2.0
/* The verifier lesson of 01 (README.md, "Break it"): each broken variant of hello.bpf.c is loaded
 * into the running kernel, which must refuse it with the words the README quotes. */
#include <errno.h>
#include "testing.h"

static const struct refusal refusals[] = {
	{
		.object = "broken_no_bounds_check.bpf.o",
		.err = EACCES,
		.verdicts = { "invalid access to packet, off=12 size=1, R#(id=#,off=12,r=0)\n"
			      "R# offset is outside of the packet" },
	},
	{
		.object = "broken_no_null_check.bpf.o",
		.err = EACCES,
		/* Linux 6.1 calls the ring buffer's memory by a more general name */
		.verdicts = { "R0 invalid mem access 'ringbuf_mem_or_null'",
			      "R0 invalid mem access 'alloc_mem_or_null'" },
	},
};

int main(void)
{
	size_t i;

	tap_require_root();
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++)
		check_refusal(&refusals[i]);
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0
/* The verifier lessons of 04 (README.md, "Break it"): each broken variant of the parser is loaded
 * into the running kernel, which must refuse it with the words the README quotes. */
#include <errno.h>
#include "testing.h"

static const struct refusal refusals[] = {
	{
		.object = "broken_no_ip_check.bpf.o",
		.err = EACCES,
		.verdicts = { "invalid access to packet, off=34 size=4, R#(id=#,off=34,r=22)\n"
			      "R# offset is outside of the packet" },
	},
	{
		/* the verifier walks the loop until it has too many branches left to explore;
		 * it reports that as EFAULT, a "Bad address" that has nothing to do with memory */
		.object = "broken_unbounded_loop.bpf.o",
		.err = EFAULT,
		.err_also = E2BIG,	/* Linux 6.12 (Debian 13, Pi OS trixie) */
		.verdicts = { "The sequence of 8193 jumps is too complex." },
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

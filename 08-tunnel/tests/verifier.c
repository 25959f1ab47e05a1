// SPDX-License-Identifier: GPL-2.0
/* The verifier lesson of 08 (README.md, "Break it"): broken_stale_pointer.bpf.o writes through
 * a packet pointer it had before bpf_xdp_adjust_head(), and the kernel must refuse it with the
 * words the README quotes. */
#include <errno.h>
#include "testing.h"

static const struct refusal stale_pointer = {
	.object = "broken_stale_pointer.bpf.o",
	.err = EACCES,
	.verdicts = { "R# invalid mem access 'scalar'" },
};

int main(void)
{
	tap_require_root();
	check_refusal(&stale_pointer);
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0
/* fwdmin: attach bench's reference forwarder (fwdmin.bpf.c) to IFACE: every frame that arrives
 * there leaves through OUT, to the only neighbour OUT has. bench/run's forwarding table runs
 * it next to 05-redirect, in a lab of its own; it is not a lesson. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include "loader.h"
#include "nexthop.h"
#include "fwdmin.skel.h"

static int set_string(const char *arg, void *data)
{
	*(const char **)data = arg;
	return 0;
}

int main(int argc, char **argv)
{
	const char *to = NULL;
	const struct loader_option options[] = {
		{ "to", 't', "OUT", "send every frame that arrives on IFACE out of OUT (required)",
		  set_string, &to },
		{ NULL },
	};
	struct loader ld = {
		.name = "fwdmin",
		.about = "Forward every frame from IFACE out of OUT, doing the least XDP can.",
		.options = options,
		.usage_extra = "The next hop is the only neighbour OUT has (`ip neigh`). For make "
			       "bench's labs only:\nit forwards everything, ARP included.\n",
	};
	struct fwdmin_bpf *skel = NULL;
	__u32 zero = 0, gw = 0;
	int err, out;

	err = loader_start(&ld, argc, argv);
	if (err)
		return err;
	if (!to) {
		fprintf(stderr, "fwdmin: where to? name the other interface with --to OUT\n");
		return EXIT_USAGE;
	}
	out = loader_iface(&ld, to, false);
	if (!out)
		return EXIT_FAIL;
	skel = fwdmin_bpf__open_opts(loader_open_opts());
	if (!skel)
		return loader_load_failed(&ld);
	err = nexthop_own_mac(to, (__u8 *)skel->rodata->src_mac);
	if (!err)
		err = nexthop_neigh(out, &gw, (__u8 *)skel->rodata->dst_mac);
	if (err) {
		fprintf(stderr, "fwdmin: no MAC for %s or for its only neighbour: %s\n", to,
			strerror(-err));
		err = EXIT_FAIL;
		goto cleanup;
	}
	if (fwdmin_bpf__load(skel)) {
		err = loader_load_failed(&ld);
		goto cleanup;
	}
	if (bpf_map__update_elem(skel->maps.out, &zero, sizeof(zero), &out, sizeof(out), 0)) {
		fprintf(stderr, "fwdmin: cannot put %s in the device map: %s\n", to,
			strerror(errno));
		err = EXIT_FAIL;
		goto cleanup;
	}
	err = loader_attach(&ld, skel->progs.fwdmin);
	if (err)
		goto cleanup;
	printf("fwdmin: forwarding every frame from %s out of %s\n", ld.ifname, to);
	while (loader_running(&ld))
		loader_sleep_ms(&ld, 1000);

cleanup:
	loader_detach(&ld);
	fwdmin_bpf__destroy(skel);
	return err;
}

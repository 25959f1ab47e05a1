// SPDX-License-Identifier: GPL-2.0
/* 02: attach drop_all.bpf.o, and say how many packets it dropped.
 *
 * The program keeps no count, so we ask the interface: its rx_packets counter goes up for every
 * frame the driver receives, and while the program is attached every one of them is dropped.
 * (On veth and in generic mode that holds; a few native drivers count XDP drops elsewhere, see
 * the README. Lesson 03 counts in the program itself, exactly, on every driver.) */
#include <stdio.h>
#include <string.h>
#include "loader.h"
#include "stats.h"
#include "drop_all.skel.h"

static int rx_packets(const struct loader *ld, __u64 *packets)
{
	struct rtnl_link_stats64 s;
	int err = stats_link_read(ld->ifindex, &s);

	if (err) {
		fprintf(stderr, "drop_all: cannot read the counters of %s: %s\n", ld->ifname,
			strerror(-err));
		return EXIT_FAIL;
	}
	*packets = s.rx_packets;
	return 0;
}

int main(int argc, char **argv)
{
	struct loader ld = {
		.name = "drop_all",
		.about = "Drop every packet that arrives on IFACE, and say how many.",
		.guard = "dropping every packet",
	};
	struct drop_all_bpf *skel;
	__u64 first, last, now;
	double attached, tick, t;
	char rate[32];
	int err;

	err = loader_start(&ld, argc, argv);
	if (err)
		return err;
	skel = drop_all_bpf__open_opts(loader_open_opts());
	if (!skel || drop_all_bpf__load(skel)) {
		err = loader_load_failed(&ld);
		goto cleanup;
	}
	/* The first count comes before the attach: read after it, a packet arriving in between
	 * would be dropped and never counted. */
	err = rx_packets(&ld, &first);
	if (err)
		goto cleanup;
	err = loader_attach(&ld, skel->progs.drop_all);
	if (err)
		goto cleanup;
	attached = tick = loader_now();
	printf("drop_all: dropping every packet that arrives on %s; Ctrl-C to stop\n", ld.ifname);

	/* Once a second, a line if anything arrived: the time is measured, not assumed, because
	 * a signal or --duration can cut the second short. */
	for (last = first; loader_running(&ld); last = now, tick = t) {
		loader_sleep_ms(&ld, 1000);
		t = loader_now();
		err = rx_packets(&ld, &now);
		if (err)
			goto cleanup;
		if (now == last)
			continue;
		stats_si(rate, sizeof(rate), (now - last) / (t - tick), "packets/s");
		printf("drop_all: packets dropped: %llu in %.3f s (%s)\n",
		       (unsigned long long)(now - last), t - tick, rate);
	}
	/* The last count before the program goes: what arrives after the detach is not ours. */
	err = rx_packets(&ld, &last);
	if (!err)
		printf("drop_all: packets dropped on %s: %llu in %.3f s (its rx_packets went "
		       "from %llu to %llu)\n", ld.ifname, (unsigned long long)(last - first),
		       loader_now() - attached, (unsigned long long)first,
		       (unsigned long long)last);

cleanup:
	loader_detach(&ld);
	drop_all_bpf__destroy(skel);
	return err;
}

// SPDX-License-Identifier: GPL-2.0
/* 03: attach count_packets.bpf.o; every --interval, print what it counted since the last line,
 * with rates over the time that really passed; the totals when it stops. */
#include <stdio.h>
#include <string.h>
#include "loader.h"
#include "stats.h"
#include "count_packets.h"
#include "count_packets.skel.h"

/* The counters as the program sees them, every CPU's copy added up. */
static int read_counters(int map_fd, struct counters *c)
{
	int err = stats_percpu_sum(map_fd, 0, c, sizeof(*c));

	if (err)
		fprintf(stderr, "count_packets: cannot read the counters: %s\n", strerror(-err));
	return err ? EXIT_FAIL : 0;
}

int main(int argc, char **argv)
{
	double interval = 1.0;
	const struct loader_option options[] = {
		LOADER_OPTION_INTERVAL(&interval),
		{ NULL },
	};
	struct loader ld = {
		.name = "count_packets",
		.about = "Count the packets and bytes arriving on IFACE, and let them all through.",
		.options = options,
		/* ctx->data_end - ctx->data: packet pointers subtracted */
		.needs = LOADER_NEEDS(LOADER_CAP_PERFMON),
	};
	struct count_packets_bpf *skel;
	struct counters last = { 0 }, now;
	double start, tick, next, t;
	int map_fd, err;

	err = loader_start(&ld, argc, argv);
	if (err)
		return err;
	skel = count_packets_bpf__open_opts(loader_open_opts());
	if (!skel || count_packets_bpf__load(skel)) {
		err = loader_load_failed(&ld);
		goto cleanup;
	}
	map_fd = bpf_map__fd(skel->maps.stats);
	err = loader_attach(&ld, skel->progs.count_packets);
	if (err)
		goto cleanup;
	start = tick = loader_now();
	next = start + interval;
	printf("count_packets: counting on %s, a line every %g s; Ctrl-C to stop\n", ld.ifname,
	       interval);

	while (loader_running(&ld)) {
		/* Sleep to the next tick rather than for an interval, or the ticks would drift
		 * by the time the printing takes; then look again, since a signal or --duration
		 * may have cut the sleep short. */
		if (next > loader_now()) {
			loader_sleep_ms(&ld, (int)((next - loader_now()) * 1000) + 1);
			continue;
		}
		t = loader_now();
		err = read_counters(map_fd, &now);
		if (err)
			goto cleanup;
		/* The difference over the time measured between the two reads: an honest rate
		 * even when this line comes late. */
		stats_print_traffic("count_packets: ", now.packets - last.packets,
				    now.bytes - last.bytes, t - tick);
		last = now;
		tick = t;
		next += interval;
		if (next < t)	/* stopped (Ctrl-Z) past a tick: skip it, do not catch up */
			next = t + interval;
	}

	/* Detach, then read: with the program gone the counts are final. The part of an interval
	 * left over gets its line too, so that the lines add up to the total. */
	loader_detach(&ld);
	t = loader_now();
	err = read_counters(map_fd, &now);
	if (err)
		goto cleanup;
	stats_print_traffic("count_packets: ", now.packets - last.packets, now.bytes - last.bytes,
			    t - tick);
	stats_print_traffic("count_packets: total ", now.packets, now.bytes, t - start);

cleanup:
	loader_detach(&ld);
	count_packets_bpf__destroy(skel);
	return err;
}

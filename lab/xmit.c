// SPDX-License-Identifier: GPL-2.0
/* xmit: send exactly the frames you ask for, from one interface, through a packet socket.
 * The lab uses it to feed the lessons known traffic: UDP, TCP SYN, ICMP echo, ARP, IPv6,
 * VLAN-tagged, damaged or raw hex frames, a given number of them, of a given size.
 * With --listen it receives instead, and prints what arrives: what a router changed (MACs,
 * TTL) and whether the checksums still hold. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include "packets.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: xmit -i IFACE [options]\n"
		"Send frames through a packet socket: exactly --count of them.\n\n"
		"  -i, --iface IFACE     send on this interface (required)\n"
		"  -t, --type TYPE       udp (default), tcp-syn, icmp, arp, udp6, ether (EtherType 0x88b5)\n"
		"  -c, --count N         how many frames (default 1)\n"
		"  -s, --size BYTES      frame length, FCS not counted (default: just the headers)\n"
		"      --src ADDR        IPv4 source address (default 192.0.2.2)\n"
		"      --dst ADDR        IPv4 destination address (default 192.0.2.1)\n"
		"      --dst-mac MAC     destination MAC (default ff:ff:ff:ff:ff:ff)\n"
		"      --dport PORT      UDP/TCP destination port (default 9, discard)\n"
		"      --ttl N           IPv4 TTL / IPv6 hop limit (default 64)\n"
		"      --vlan ID         add an 802.1Q tag (give it twice for two tags)\n"
		"      --ihl N           IPv4 header length in words, 5-15 (options are NOPs)\n"
		"      --frag OFFSET     IPv4 fragment offset in bytes (a multiple of 8; 0 = first)\n"
		"      --more-frags      set the IPv4 More Fragments flag\n"
		"      --truncate BYTES  cut each frame to this length (at least 14)\n"
		"      --hex HEX         send this frame instead (hex digits; spaces and colons ignored)\n"
		"      --gap-us US       pause between frames (default 0)\n"
		"      --listen N        send nothing: print the next N frames that arrive on IFACE,\n"
		"                        one line each (IPv4: addresses, TTL, checksums checked)\n"
		"      --timeout SECONDS  with --listen, stop waiting after this long (default 5)\n"
		"  -h, --help            print this help\n"
		"Numbers are decimal. A wrong command line gets one line on stderr and exit status 2.\n");
}

static int parse_hex(const char *s, __u8 *buf, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (; *s; s++) {
		int v;

		if (*s == ' ' || *s == ':')
			continue;
		if (*s >= '0' && *s <= '9')
			v = *s - '0';
		else if (*s >= 'a' && *s <= 'f')
			v = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'F')
			v = *s - 'A' + 10;
		else
			return -1;
		if (hi < 0) {
			hi = v;
			continue;
		}
		if (n >= cap)
			return -1;
		buf[n++] = hi << 4 | v;
		hi = -1;
	}
	return hi < 0 && n >= ETH_HLEN ? (int)n : -1;
}

static void print_mac(const __u8 *m)
{
	printf("%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* One line for a frame that arrived: its MACs, its VLAN tags (vlan: the outer one, which the
 * kernel took off the frame, or -1), then for IPv4 the addresses, TTL and protocol,
 * whether the header checksum holds, and for ICMP its type and whether its checksum holds. */
static void print_frame(const __u8 *f, size_t len, int vlan)
{
	const __u8 *ip = f + ETH_HLEN;
	size_t ihl, tot;
	char src[16], dst[16];

	printf("xmit: ");
	print_mac(f + 6);
	printf(" > ");
	print_mac(f);
	if (vlan >= 0)
		printf(" vlan %d", vlan);
	if (len >= ETH_HLEN + 4 && ((f[12] == 0x81 && f[13] == 0x00) ||
				     (f[12] == 0x88 && f[13] == 0xa8))) {
		size_t at;	/* the tags' IDs (decimal, as --vlan takes them), then what follows */

		for (at = 12; at + 4 <= len && ((f[at] == 0x81 && f[at + 1] == 0x00) ||
						 (f[at] == 0x88 && f[at + 1] == 0xa8)); at += 4)
			printf(" vlan %u", (f[at + 2] & 0x0f) << 8 | f[at + 3]);
		if (at + 2 <= len)
			printf(" ethertype 0x%02x%02x", f[at], f[at + 1]);
		printf(" len %zu\n", len);
		return;
	}
	if (len < ETH_HLEN + 20 || f[12] != 0x08 || f[13] != 0x00 || ip[0] >> 4 != 4) {
		printf(" ethertype 0x%02x%02x len %zu\n", f[12], f[13], len);
		return;
	}
	ihl = (ip[0] & 0x0f) * 4;
	tot = (size_t)ip[2] << 8 | ip[3];
	inet_ntop(AF_INET, ip + 12, src, sizeof(src));
	inet_ntop(AF_INET, ip + 16, dst, sizeof(dst));
	printf(" ipv4 %s > %s ttl %u proto %u ip-csum %s", src, dst, ip[8], ip[9],
	       ihl >= 20 && ETH_HLEN + ihl <= len && pkt_ipv4_csum_ok(ip) ? "ok" : "BAD");
	if (ip[9] == IPPROTO_ICMP && ihl >= 20 && tot >= ihl + 8 && ETH_HLEN + tot <= len)
		printf(" icmp type %u csum %s", ip[ihl], pkt_csum(ip + ihl, tot - ihl, 0) ? "BAD" :
		       "ok");
	printf(" len %zu\n", len);
}

/* --listen: print the next count frames that arrive on ifname, or as many as come within
 * timeout_ms. Returns 0 when all count came. */
static int listen_frames(const char *ifname, long count, int timeout_ms)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	static __u8 frame[65536];
	struct timespec now, end;
	long got = 0;
	int fd, ifindex;

	sll.sll_ifindex = if_nametoindex(ifname);
	if (!sll.sll_ifindex) {
		fprintf(stderr, "xmit: no interface named '%s' here (see `ip link`)\n", ifname);
		return 1;
	}
	/* Protocol 0: the socket receives nothing until bind() names the protocol and the
	 * interface together. Opened with ETH_P_ALL, it would queue the frames of every
	 * interface in the moment before bind(). The kernel takes the outer VLAN tag off a
	 * frame as it arrives, as NICs do: PACKET_AUXDATA asks for it back, beside the frame. */
	ifindex = sll.sll_ifindex;
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0 || setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &(int){ 1 }, sizeof(int)) ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		fprintf(stderr, "xmit: cannot listen on %s: %s (run it as root)\n", ifname,
			strerror(errno));
		if (fd >= 0)
			close(fd);
		return 1;
	}
	/* From here on every frame is caught: a test waits for this line before sending. */
	printf("xmit: listening on %s\n", ifname);
	fflush(stdout);
	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += timeout_ms / 1000;
	end.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	while (got < count) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		union {
			struct cmsghdr align;
			char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
		} ctl;
		struct iovec iov = { .iov_base = frame, .iov_len = sizeof(frame) };
		struct msghdr msg = { .msg_name = &sll, .msg_namelen = sizeof(sll), .msg_iov = &iov,
				      .msg_iovlen = 1, .msg_control = ctl.buf,
				      .msg_controllen = sizeof(ctl.buf) };
		struct cmsghdr *cm;
		int vlan = -1;
		long left;
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &now);
		left = (end.tv_sec - now.tv_sec) * 1000 + (end.tv_nsec - now.tv_nsec) / 1000000;
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			break;
		n = recvmsg(fd, &msg, 0);
		if (n < ETH_HLEN || sll.sll_pkttype == PACKET_OUTGOING || sll.sll_ifindex != ifindex)
			continue;	/* what this host sends itself is not what arrived */
		for (cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
			const struct tpacket_auxdata *aux = (const void *)CMSG_DATA(cm);

			if (cm->cmsg_level == SOL_PACKET && cm->cmsg_type == PACKET_AUXDATA &&
			    aux->tp_status & TP_STATUS_VLAN_VALID)
				vlan = aux->tp_vlan_tci & 0x0fff;
		}
		print_frame(frame, n, vlan);
		fflush(stdout);
		got++;
	}
	close(fd);
	printf("xmit: received %ld frame%s on %s\n", got, got == 1 ? "" : "s", ifname);
	return got == count ? 0 : 1;
}

static long number(const char *arg, long min, long max, const char *what)
{
	char *end;
	long v;

	/* Decimal only: base 0 would read --vlan 010 as octal 8. */
	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < min || v > max) {
		fprintf(stderr, "xmit: %s wants a number from %ld to %ld, not '%s'\n", what, min,
			max, arg);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	enum { O_SRC = 256, O_DST, O_DMAC, O_DPORT, O_TTL, O_VLAN, O_IHL, O_FRAG, O_MF, O_TRUNC,
	       O_HEX, O_GAP, O_LISTEN, O_TIMEOUT };
	static const struct option opts[] = {
		{ "iface", required_argument, NULL, 'i' },
		{ "type", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'c' },
		{ "size", required_argument, NULL, 's' },
		{ "src", required_argument, NULL, O_SRC },
		{ "dst", required_argument, NULL, O_DST },
		{ "dst-mac", required_argument, NULL, O_DMAC },
		{ "dport", required_argument, NULL, O_DPORT },
		{ "ttl", required_argument, NULL, O_TTL },
		{ "vlan", required_argument, NULL, O_VLAN },
		{ "ihl", required_argument, NULL, O_IHL },
		{ "frag", required_argument, NULL, O_FRAG },
		{ "more-frags", no_argument, NULL, O_MF },
		{ "truncate", required_argument, NULL, O_TRUNC },
		{ "hex", required_argument, NULL, O_HEX },
		{ "gap-us", required_argument, NULL, O_GAP },
		{ "listen", required_argument, NULL, O_LISTEN },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	static __u8 frame[PKT_MAX];
	const char *ifname = NULL, *type = "udp", *hex = NULL;
	long count = 1, truncate = 0, gap_us = 0, sent = 0, listen = 0, timeout = 5, v;
	unsigned long long bytes = 0;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct pkt_spec spec;
	struct ifreq ifr = { 0 };
	int c, fd, len;
	__u16 proto = ETH_P_IP;
	__u8 ip_proto = IPPROTO_UDP;

	/* The type decides the defaults the other options change, so find it first, with
	 * getopt itself: -t icmp, -ticmp, --type icmp and --type=icmp alike. The second pass
	 * below starts over (optind = 0) and reports what is wrong. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "i:t:c:s:h", opts, NULL)) != -1)
		if (c == 't')
			type = optarg;
	optind = 0;
	if (!strcmp(type, "tcp-syn")) {
		ip_proto = IPPROTO_TCP;
	} else if (!strcmp(type, "icmp")) {
		ip_proto = IPPROTO_ICMP;
	} else if (!strcmp(type, "arp")) {
		proto = ETH_P_ARP;
	} else if (!strcmp(type, "udp6")) {
		proto = ETH_P_IPV6;
	} else if (!strcmp(type, "ether")) {
		proto = 0x88b5;		/* "local experimental" EtherType */
	} else if (strcmp(type, "udp")) {
		fprintf(stderr, "xmit: unknown type '%s' (see xmit --help)\n", type);
		return 2;
	}
	pkt_spec_init(&spec, proto, ip_proto);
	memset(spec.dst_mac, 0xff, 6);

	while ((c = getopt_long(argc, argv, "i:t:c:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			ifname = optarg;
			break;
		case 't':
			break;
		case 'c':
			count = number(optarg, 0, 1000000000, "--count");
			break;
		case 's':
			spec.size = number(optarg, ETH_HLEN, PKT_MAX, "--size");
			break;
		case O_SRC:
		case O_DST:
			if (inet_pton(AF_INET, optarg, c == O_SRC ? &spec.saddr : &spec.daddr) != 1) {
				fprintf(stderr, "xmit: '%s' is not an IPv4 address\n", optarg);
				return 2;
			}
			break;
		case O_DMAC:
			if (pkt_parse_mac(optarg, spec.dst_mac)) {
				fprintf(stderr, "xmit: '%s' is not a MAC address\n", optarg);
				return 2;
			}
			break;
		case O_DPORT:
			spec.dport = number(optarg, 0, 65535, "--dport");
			break;
		case O_TTL:
			spec.ttl = number(optarg, 0, 255, "--ttl");
			break;
		case O_VLAN:
			if (spec.vlans == 2) {
				fprintf(stderr, "xmit: at most two --vlan tags\n");
				return 2;
			}
			spec.vlan_id[spec.vlans++] = number(optarg, 0, 4095, "--vlan");
			break;
		case O_IHL:
			spec.ihl = number(optarg, 0, 15, "--ihl");
			break;
		case O_FRAG:
			v = number(optarg, 0, 65528, "--frag");
			if (v % 8) {	/* the header holds the offset in 8-byte units */
				fprintf(stderr, "xmit: --frag wants a multiple of 8, not '%s'\n",
					optarg);
				return 2;
			}
			spec.frag = (spec.frag & ~0x1fff) | v / 8;
			break;
		case O_MF:
			spec.frag |= 0x2000;
			break;
		case O_TRUNC:
			/* the kernel refuses a frame shorter than its Ethernet header */
			truncate = number(optarg, ETH_HLEN, PKT_MAX, "--truncate");
			break;
		case O_HEX:
			hex = optarg;
			break;
		case O_GAP:
			gap_us = number(optarg, 0, 10000000, "--gap-us");
			break;
		case O_LISTEN:
			listen = number(optarg, 1, 1000000000, "--listen");
			break;
		case O_TIMEOUT:
			timeout = number(optarg, 1, 3600, "--timeout");
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			if (optopt && optopt < 256 && !strchr("itcs", optopt))
				fprintf(stderr, "xmit: unknown option '-%c' (see xmit --help)\n",
					optopt);
			else if (optopt)
				fprintf(stderr, "xmit: option '%s' needs an argument (see xmit "
					"--help)\n", argv[optind - 1]);
			else
				fprintf(stderr, "xmit: unknown option '%s' (see xmit --help)\n",
					argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "xmit: unexpected argument '%s' (see xmit --help)\n", argv[optind]);
		return 2;
	}
	if (!ifname) {
		fprintf(stderr, "xmit: which interface? name it with -i IFACE (see xmit --help)\n");
		return 2;
	}
	if (listen)
		return listen_frames(ifname, listen, (int)timeout * 1000);

	fd = socket(AF_PACKET, SOCK_RAW, 0);	/* protocol 0: send only, receive nothing */
	if (fd < 0) {
		fprintf(stderr, "xmit: cannot open a packet socket: %s (run it as root)\n",
			strerror(errno));
		return 1;
	}
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr)) {
		fprintf(stderr, "xmit: no interface named '%s' here (see `ip link`)\n", ifname);
		close(fd);
		return 1;
	}
	memcpy(spec.src_mac, ifr.ifr_hwaddr.sa_data, 6);
	sll.sll_ifindex = if_nametoindex(ifname);

	len = hex ? parse_hex(hex, frame, sizeof(frame)) : pkt_build(&spec, frame, sizeof(frame));
	if (len < 0) {
		fprintf(stderr, "xmit: %s\n", hex ? "--hex wants at least 14 bytes of hex digits" :
			"the frame does not fit");
		close(fd);
		return 2;
	}
	if (truncate && truncate < len)
		len = truncate;

	for (; sent < count; sent++) {
		if (sendto(fd, frame, len, 0, (struct sockaddr *)&sll, sizeof(sll)) != len) {
			fprintf(stderr, "xmit: sending frame %ld failed: %s\n", sent + 1,
				strerror(errno));
			break;
		}
		bytes += len;
		if (gap_us)
			nanosleep(&(struct timespec){ gap_us / 1000000, gap_us % 1000000 * 1000 },
				  NULL);
	}
	close(fd);
	printf("xmit: sent %ld %d-byte frames (%llu bytes) on %s\n", sent, len, bytes, ifname);
	return sent == count ? 0 : 1;
}

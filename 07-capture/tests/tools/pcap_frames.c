// SPDX-License-Identifier: GPL-2.0
/* pcap_frames FILE: the frames of a capture file as libpcap reads them, one line each:
 * "LEN CAPLEN HEX", then a last line "frames N". For the end-to-end tests, which compare
 * them with the frames they sent, byte for byte; "-" reads standard input. */
#include <stdio.h>
#include <pcap/pcap.h>

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *ph;
	const u_char *data;
	unsigned long n = 0;
	pcap_t *p;
	int ret;
	bpf_u_int32 i;

	if (argc != 2) {
		fprintf(stderr, "usage: pcap_frames FILE\n");
		return 2;
	}
	p = pcap_open_offline_with_tstamp_precision(argv[1], PCAP_TSTAMP_PRECISION_NANO, err);
	if (!p) {
		fprintf(stderr, "pcap_frames: %s\n", err);
		return 1;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		fprintf(stderr, "pcap_frames: %s: not Ethernet (link type %d)\n", argv[1],
			pcap_datalink(p));
		pcap_close(p);
		return 1;
	}
	while ((ret = pcap_next_ex(p, &ph, &data)) == 1) {
		printf("%u %u ", ph->len, ph->caplen);
		for (i = 0; i < ph->caplen; i++)
			printf("%02x", data[i]);
		printf("\n");
		n++;
	}
	if (ret != PCAP_ERROR_BREAK) {
		/* a file cut short, or not a capture file */
		fprintf(stderr, "pcap_frames: %s: %s\n", argv[1], pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	printf("frames %lu\n", n);
	pcap_close(p);
	return 0;
}

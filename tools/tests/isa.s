# SPDX-License-Identifier: GPL-2.0
# Every instruction form of the eBPF instruction set that clang 14's assembler and
# llvm-objdump 14 both know, for tools/tests/decode.sh: assembled by clang, disassembled by
# llvm-objdump and by tools/bpfdecode, and the two must agree on every line. The lessons'
# objects use only some of these; this file makes the decoder's other answers count too.
#
# Left out, because llvm-objdump 14 prints "<unknown>" for them although the kernel runs them:
# MOD (%=), JSET (if r1 & r2), ST (a store of an immediate), and the 32-bit atomics other than
# add (clang 14 emits none of these). Signed division, sign-extending loads and moves, bswap and
# the long jump of ISA v4 came after LLVM 14.
	.section	xdp,"ax",@progbits
	.globl	isa
	.type	isa,@function
isa:
	# ALU64 (class 7), immediate (K) and register (X) source
	r0 = 1
	r1 = r2
	r1 += 3
	r1 += r2
	r1 -= -3
	r1 -= r2
	r1 *= 3
	r1 *= r2
	r1 /= 3
	r1 /= r2
	r1 |= 3
	r1 |= r2
	r1 &= 3
	r1 &= r2
	r1 <<= 3
	r1 <<= r2
	r1 >>= 3
	r1 >>= r2
	r1 = -r1
	r1 ^= 3
	r1 ^= r2
	r1 s>>= 3
	r1 s>>= r2
	r9 = 2147483647
	r9 = -2147483648
	# ALU (class 4): the same on the low 32 bits, w registers
	w1 = 5
	w1 = w2
	w1 += 3
	w1 += w2
	w1 -= 3
	w1 -= w2
	w1 *= 3
	w1 *= w2
	w1 /= 3
	w1 /= w2
	w1 |= 3
	w1 |= w2
	w1 &= 3
	w1 &= w2
	w1 <<= 3
	w1 <<= w2
	w1 >>= 3
	w1 >>= w2
	w1 = -w1
	w1 ^= 3
	w1 ^= w2
	w1 s>>= 3
	w1 s>>= w2
	# byte swaps (ALU, op END): to big- or little-endian, 16, 32 or 64 bits
	r1 = be16 r1
	r2 = be32 r2
	r3 = be64 r3
	r4 = le16 r4
	r5 = le32 r5
	r6 = le64 r6
	# the wide load: 16 bytes, a 64-bit constant split over two immediates
	r1 = 0x123456789abcdef0 ll
	r2 = -1 ll
	r3 = 4294967296 ll
	r4 = 0 ll
	# loads (LDX) and stores (STX) of every size, offsets of every sign
	r1 = *(u8 *)(r2 + 1)
	r1 = *(u16 *)(r2 - 2)
	r1 = *(u32 *)(r2 + 4)
	r1 = *(u64 *)(r2 + 32767)
	r1 = *(u64 *)(r10 - 32768)
	*(u8 *)(r10 - 1) = r1
	*(u16 *)(r10 - 2) = r1
	*(u32 *)(r10 - 4) = r1
	*(u64 *)(r10 - 512) = r9
	# atomics (STX, mode ATOMIC): the immediate says which operation
	lock *(u32 *)(r1 + 0) += r2
	lock *(u64 *)(r1 + 8) += r2
	lock *(u64 *)(r1 - 8) |= r2
	lock *(u64 *)(r1 + 0) &= r2
	lock *(u64 *)(r1 + 0) ^= r2
	# clang 14 emits these but cannot parse them back: their bytes, as the decoder reads them
	.byte	0xdb, 0x21, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00	# r2 = atomic_fetch_add(...)
	.byte	0xdb, 0x21, 0x00, 0x00, 0x41, 0x00, 0x00, 0x00	# r2 = atomic_fetch_or(...)
	.byte	0xdb, 0x21, 0x00, 0x00, 0x51, 0x00, 0x00, 0x00	# r2 = atomic_fetch_and(...)
	.byte	0xdb, 0x21, 0x10, 0x00, 0xa1, 0x00, 0x00, 0x00	# r2 = atomic_fetch_xor(...)
	.byte	0xdb, 0x21, 0x00, 0x00, 0xe1, 0x00, 0x00, 0x00	# r2 = xchg_64(r1 + 0, r2)
	.byte	0xdb, 0x21, 0x00, 0x00, 0xf1, 0x00, 0x00, 0x00	# r0 = cmpxchg_64(...)
	# the classic packet loads (LD, modes ABS and IND), from socket filters
	r0 = *(u8 *)skb[1]
	r0 = *(u16 *)skb[2]
	r0 = *(u32 *)skb[4]
	r0 = *(u8 *)skb[r1]
	r0 = *(u16 *)skb[r2]
	r0 = *(u32 *)skb[r3]
	# jumps (JMP, 64-bit compares): the offset counts instructions after this one
.Lloop:
	if r1 == r2 goto +1
	if r1 == 3 goto -1
	if r1 > r2 goto +1
	if r1 > 3 goto +1
	if r1 >= r2 goto +1
	if r1 >= 3 goto +1
	if r1 != r2 goto +1
	if r1 != -3 goto +1
	if r1 s> r2 goto +1
	if r1 s> 3 goto +1
	if r1 s>= r2 goto +1
	if r1 s>= 3 goto +1
	if r1 < r2 goto +1
	if r1 < 3 goto +1
	if r1 <= r2 goto +1
	if r1 <= 3 goto +1
	if r1 s< r2 goto +1
	if r1 s< 3 goto +1
	if r1 s<= r2 goto +1
	if r1 s<= 3 goto -20
	goto +0
	goto .Lloop
	# the same on the low 32 bits (JMP32)
	if w1 == w2 goto +1
	if w1 == 3 goto +1
	if w1 > w2 goto +1
	if w1 >= 3 goto +1
	if w1 != w2 goto +1
	if w1 s> 3 goto +1
	if w1 s>= w2 goto +1
	if w1 < 3 goto +1
	if w1 <= w2 goto +1
	if w1 s< 3 goto +1
	if w1 s<= w2 goto +1
	# a helper, a call to a BPF function of this object, and the way out
	call 1
	call 212
	call sub
	exit
	.size	isa, .-isa

	.globl	sub
	.type	sub,@function
sub:
	r0 = 0
	if r1 == 0 goto .Lout
	r0 = 1
.Lout:
	exit
	.size	sub, .-sub

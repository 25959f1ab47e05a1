// SPDX-License-Identifier: GPL-2.0
/* bpfdecode: the instructions in a BPF object file, taken apart field by field.
 *
 *	tools/bpfdecode 02-drop-all/.build/drop_all.bpf.o
 *
 * Every eBPF instruction is 8 bytes: an opcode byte, a byte that holds two 4-bit register
 * numbers, a 16-bit offset and a 32-bit immediate, the last two little-endian in the objects
 * clang builds for x86-64 and ARM (-target bpf picks the host's byte order). The opcode itself
 * is three fields: the class (its low 3 bits) and, depending on the class, either an operation
 * and a source bit (arithmetic and jumps) or a size and a mode (loads and stores). One
 * instruction is 16 bytes, the wide load of a 64-bit constant, which spreads its value over the
 * immediates of two slots. eBPF.md walks through all of it with this program's output.
 *
 * The assembly column is written from the decoded fields alone, in the syntax llvm-objdump uses,
 * and tools/tests/decode.sh checks it against llvm-objdump for every instruction of every
 * lesson: if this program split a field wrongly, the two would disagree. With -l it prints only
 * the lines llvm-objdump -d -r prints for instructions and relocations, for that comparison.
 *
 * The object is read with libelf; the instructions themselves are decoded here byte by byte,
 * with nothing but the opcode names from linux/bpf.h, so the program works the same on a
 * 32-bit host. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gelf.h>
#include <libelf.h>
#include <linux/bpf.h>

#ifndef EM_BPF
#define EM_BPF 247
#endif

#define INSN_SIZE 8

/* What an instruction's 8 bytes hold, once taken apart. */
struct insn {
	uint8_t code;		/* the opcode: class, then operation/source or size/mode */
	uint8_t regs;		/* the register byte: src in the high 4 bits, dst in the low 4 */
	uint8_t dst;
	uint8_t src;
	int16_t off;		/* bytes 2-3: a memory offset, or a jump distance in instructions */
	int32_t imm;		/* bytes 4-7: a constant, a helper number, an atomic operation */
};

struct object {
	const char *path;
	int fd;
	Elf *elf;
	size_t shstrndx;
	Elf_Scn *symtab;	/* the symbol table: function names, jump labels, maps */
	Elf_Data *symdata;
	size_t nsyms;
	size_t strndx;		/* the string table the symbols' names are in */
};

struct reloc {
	uint64_t offset;	/* where in the section, in bytes */
	uint32_t type;
	const char *name;	/* the symbol it refers to: a map, a function, a section */
};

static const char *prog = "bpfdecode";
static bool llvm_lines;
static bool hex_numbers;	/* -x: llvm-objdump 17 on writes every number in hexadecimal */

static const char *const class_names[8] = {
	"LD", "LDX", "ST", "STX", "ALU", "JMP", "JMP32", "ALU64"
};
static const char *const alu_names[16] = {
	"ADD", "SUB", "MUL", "DIV", "OR", "AND", "LSH", "RSH",
	"NEG", "MOD", "XOR", "MOV", "ARSH", "END", NULL, NULL
};
/* The C operator of each arithmetic operation: r1 += r2. NEG, MOV and END have forms of their
 * own, and 0xe0 and 0xf0 are not operations. */
static const char *const alu_ops[16] = {
	"+=", "-=", "*=", "/=", "|=", "&=", "<<=", ">>=",
	NULL, "%=", "^=", NULL, "s>>=", NULL, NULL, NULL
};
static const char *const jmp_names[16] = {
	"JA", "JEQ", "JGT", "JGE", "JSET", "JNE", "JSGT", "JSGE",
	"CALL", "EXIT", "JLT", "JLE", "JSLT", "JSLE", NULL, NULL
};
/* The comparison of each conditional jump: if r1 > r2 goto +3. */
static const char *const jmp_ops[16] = {
	NULL, "==", ">", ">=", "&", "!=", "s>", "s>=",
	NULL, NULL, "<", "<=", "s<", "s<=", NULL, NULL
};
/* The helpers a call can name, by number, from the kernel's own list in linux/bpf.h. */
#ifdef ___BPF_FUNC_MAPPER	/* Linux 6.2 on: FN(name, number), nothing between */
#define HELPER_NAME(name, number, ...) [number] = "bpf_" #name,
#define HELPER_LIST ___BPF_FUNC_MAPPER(HELPER_NAME)
#else				/* before: FN(name), commas between, in the order of the numbers */
#define HELPER_NAME(name) "bpf_" #name
#define HELPER_LIST __BPF_FUNC_MAPPER(HELPER_NAME)
#endif
static const char *const helper_names[] = { HELPER_LIST };
#define NR_HELPERS (sizeof(helper_names) / sizeof(helper_names[0]))

static const char *const size_names[4] = { "W", "H", "B", "DW" };
static const char *const size_types[4] = { "u32", "u16", "u8", "u64" };
static const char *const mode_names[8] = {
	"IMM", "ABS", "IND", "MEM", NULL, NULL, "ATOMIC", NULL
};

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Little-endian fields, assembled byte by byte so that the host's own byte order never
 * matters. The casts through a wider signed type keep the conversions well defined. */
static int16_t le16(const uint8_t *p)
{
	int32_t v = p[0] | p[1] << 8;

	return (int16_t)(v >= 0x8000 ? v - 0x10000 : v);
}

static int32_t le32(const uint8_t *p)
{
	int64_t v = (int64_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
			      (uint32_t)p[3] << 24);

	return (int32_t)(v >= 0x80000000LL ? v - 0x100000000LL : v);
}

static struct insn decode(const uint8_t *p)
{
	struct insn in = {
		.code = p[0],
		.regs = p[1],
		.dst = p[1] & 0x0f,
		.src = p[1] >> 4,
		.off = le16(p + 2),
		.imm = le32(p + 4),
	};

	return in;
}

static bool is_wide_load(const struct insn *in)
{
	return in->code == (BPF_LD | BPF_DW | BPF_IMM);
}

/* --- the object file */

static void open_object(struct object *obj, const char *path)
{
	GElf_Ehdr ehdr;
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;

	obj->path = path;
	if (elf_version(EV_CURRENT) == EV_NONE)
		fail("libelf is too old for this program: %s", elf_errmsg(-1));
	obj->fd = open(path, O_RDONLY);
	if (obj->fd < 0)
		fail("cannot open %s: %s", path, strerror(errno));
	obj->elf = elf_begin(obj->fd, ELF_C_READ, NULL);
	if (!obj->elf || elf_kind(obj->elf) != ELF_K_ELF || !gelf_getehdr(obj->elf, &ehdr))
		fail("%s is not an ELF object file; build one with `make` (LESSON/.build/*.bpf.o)",
		     path);
	if (ehdr.e_machine != EM_BPF)
		fail("%s is not a BPF object (its ELF machine is %u, BPF's is %u)", path,
		     (unsigned int)ehdr.e_machine, (unsigned int)EM_BPF);
	if (ehdr.e_ident[EI_DATA] != ELFDATA2LSB)
		fail("%s is big-endian BPF (-target bpfeb); this program reads little-endian only",
		     path);
	if (elf_getshdrstrndx(obj->elf, &obj->shstrndx))
		fail("%s: no section names: %s", path, elf_errmsg(-1));
	while ((scn = elf_nextscn(obj->elf, scn))) {
		if (gelf_getshdr(scn, &shdr) && shdr.sh_type == SHT_SYMTAB) {
			obj->symtab = scn;
			obj->symdata = elf_getdata(scn, NULL);
			obj->nsyms = shdr.sh_entsize ? shdr.sh_size / shdr.sh_entsize : 0;
			obj->strndx = shdr.sh_link;
		}
	}
}

static const char *section_name(const struct object *obj, size_t index)
{
	GElf_Shdr shdr;
	Elf_Scn *scn = elf_getscn(obj->elf, index);
	const char *name;

	if (!scn || !gelf_getshdr(scn, &shdr))
		return "";
	name = elf_strptr(obj->elf, obj->shstrndx, shdr.sh_name);
	return name ? name : "";
}

/* A symbol's name; a section symbol, which has none, goes by its section's. */
static const char *symbol_name(const struct object *obj, const GElf_Sym *sym)
{
	const char *name = elf_strptr(obj->elf, obj->strndx, sym->st_name);

	if (GELF_ST_TYPE(sym->st_info) == STT_SECTION)
		return section_name(obj, sym->st_shndx);
	return name ? name : "";
}

/* The symbols that name places in the code: functions, and the labels the compiler leaves at
 * jump targets (LBB0_2: basic block 2 of function 0). */
static bool is_code_label(const struct object *obj, const GElf_Sym *sym, size_t shndx)
{
	int type = GELF_ST_TYPE(sym->st_info);

	return sym->st_shndx == shndx && *symbol_name(obj, sym) &&
	       (type == STT_FUNC || type == STT_NOTYPE || type == STT_OBJECT);
}

/* The label a jump to byte `addr` of section shndx lands on, as llvm-objdump writes it: the
 * nearest symbol at or before it, "LBB0_2" or "count_packets+0x18". Where several share an
 * address, the one llvm-objdump picks: functions before plain labels, then the last name. */
static void jump_label(const struct object *obj, size_t shndx, uint64_t addr, char *buf,
		       size_t size)
{
	GElf_Sym sym, best = { 0 };
	bool found = false;
	size_t i;

	for (i = 0; i < obj->nsyms; i++) {
		if (!gelf_getsym(obj->symdata, (int)i, &sym) || !is_code_label(obj, &sym, shndx) ||
		    sym.st_value > addr)
			continue;
		if (found && sym.st_value < best.st_value)
			continue;
		if (found && sym.st_value == best.st_value) {
			int t = GELF_ST_TYPE(sym.st_info), bt = GELF_ST_TYPE(best.st_info);

			if (t < bt || (t == bt && strcmp(symbol_name(obj, &sym),
							 symbol_name(obj, &best)) < 0))
				continue;
		}
		best = sym;
		found = true;
	}
	if (!found)
		buf[0] = '\0';
	else if (best.st_value == addr)
		snprintf(buf, size, " <%s>", symbol_name(obj, &best));
	else
		snprintf(buf, size, " <%s+0x%" PRIx64 ">", symbol_name(obj, &best),
			 (uint64_t)(addr - best.st_value));
}

/* The relocations of section shndx: where libbpf will patch in a map or a function address. */
static struct reloc *section_relocs(const struct object *obj, size_t shndx, size_t *count)
{
	struct reloc *relocs = NULL;
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;
	size_t n = 0, i;

	while ((scn = elf_nextscn(obj->elf, scn))) {
		Elf_Data *data;
		size_t entries;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_REL || shdr.sh_info != shndx ||
		    !shdr.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		entries = shdr.sh_size / shdr.sh_entsize;
		relocs = realloc(relocs, (n + entries) * sizeof(*relocs));
		if (!relocs)
			fail("out of memory");
		for (i = 0; i < entries; i++) {
			GElf_Rel rel;
			GElf_Sym sym;

			if (!gelf_getrel(data, (int)i, &rel))
				fail("%s: a broken relocation table: %s", obj->path,
				     elf_errmsg(-1));
			relocs[n].offset = rel.r_offset;
			relocs[n].type = (uint32_t)GELF_R_TYPE(rel.r_info);
			relocs[n].name = "";
			if (obj->symdata &&
			    gelf_getsym(obj->symdata, (int)GELF_R_SYM(rel.r_info), &sym))
				relocs[n].name = symbol_name(obj, &sym);
			n++;
		}
	}
	*count = n;
	return relocs;
}

static const char *reloc_type_name(uint32_t type)
{
	switch (type) {
	case 0: return "R_BPF_NONE";
	case 1: return "R_BPF_64_64";		/* a wide load's 64-bit value: a map */
	case 2: return "R_BPF_64_ABS64";
	case 3: return "R_BPF_64_ABS32";
	case 4: return "R_BPF_64_NODYLD32";
	case 10: return "R_BPF_64_32";		/* a call's immediate: a BPF function */
	default: return "R_BPF_unknown";
	}
}

/* --- assembly, from the fields alone */

/* An atomic operation on memory (class STX, mode ATOMIC): the immediate says which. mem is the
 * address, "r1 + 0". Returns false for an immediate that names none. */
static bool assemble_atomic(const struct insn *in, const char *mem, char *buf, size_t size)
{
	bool dw = BPF_SIZE(in->code) == BPF_DW;
	const char *type = dw ? "u64" : "u32", *name, *cop;
	char v = dw ? 'r' : 'w';	/* the value is 64 or 32 bits */

	switch (in->imm & ~BPF_FETCH) {
	case BPF_ADD: name = "add"; cop = "+="; break;
	case BPF_OR: name = "or"; cop = "|="; break;
	case BPF_AND: name = "and"; cop = "&="; break;
	case BPF_XOR: name = "xor"; cop = "^="; break;
	default: name = NULL; cop = NULL; break;
	}
	if (name && !(in->imm & BPF_FETCH))	/* llvm-objdump says r even for 32 bits */
		snprintf(buf, size, "lock *(%s *)(%s) %s r%u", type, mem, cop, in->src);
	else if (name)
		snprintf(buf, size, "%c%u = atomic_fetch_%s((%s *)(%s), %c%u)", v, in->src, name,
			 type, mem, v, in->src);
	else if (in->imm == BPF_XCHG)
		snprintf(buf, size, "%c%u = xchg%s_%s(%s, %c%u)", v, in->src, dw ? "" : "32",
			 dw ? "64" : "32", mem, v, in->src);
	else if (in->imm == BPF_CMPXCHG)
		snprintf(buf, size, "%c0 = cmpxchg%s_%s(%s, %c0, %c%u)", v, dw ? "" : "32",
			 dw ? "64" : "32", mem, v, v, in->src);
	else
		return false;
	return true;
}

/* A number as llvm-objdump writes it: decimal up to LLVM 16, hexadecimal from 17 on (-x),
 * where a negative one is a minus sign and the hexadecimal of its magnitude: -0x3. With sign,
 * a plus sign before a number that is not negative (jump offsets: +1, +0x1). */
static const char *number(char *buf, size_t size, int64_t v, bool sign)
{
	uint64_t magnitude = v < 0 ? -(uint64_t)v : (uint64_t)v;
	const char *s = v < 0 ? "-" : sign ? "+" : "";

	if (hex_numbers)
		snprintf(buf, size, "%s0x%" PRIx64, s, magnitude);
	else
		snprintf(buf, size, "%s%" PRIu64, s, magnitude);
	return buf;
}

/* The assembly of one instruction (next: the second slot of a wide load), in llvm-objdump's
 * syntax; "<unknown>" for what is not a valid instruction of ISA v1 to v3, as llvm-objdump says
 * it. The jump label comes from the caller. */
static void assemble(const struct insn *in, const struct insn *next, const char *label,
		     char *buf, size_t size)
{
	unsigned int cls = BPF_CLASS(in->code), op = BPF_OP(in->code) >> 4;
	const char *type = size_types[BPF_SIZE(in->code) >> 3];
	bool x = BPF_SRC(in->code) == BPF_X;
	char r = cls == BPF_ALU || cls == BPF_JMP32 ? 'w' : 'r';	/* 32 or 64 bits */
	char operand[24], src_mem[40], dst_mem[40], imm[24], off[24], n[24];
	const char *sign = in->off < 0 ? "-" : "+";

	number(imm, sizeof(imm), in->imm, false);
	number(off, sizeof(off), in->off, true);
	if (x)
		snprintf(operand, sizeof(operand), "%c%u", r, in->src);
	else
		snprintf(operand, sizeof(operand), "%s", imm);
	/* the memory a load reads, base src, and the memory a store writes, base dst */
	number(n, sizeof(n), in->off < 0 ? -(int64_t)in->off : in->off, false);
	snprintf(src_mem, sizeof(src_mem), "r%u %s %s", in->src, sign, n);
	snprintf(dst_mem, sizeof(dst_mem), "r%u %s %s", in->dst, sign, n);

	switch (cls) {
	case BPF_ALU:
	case BPF_ALU64:
		if (BPF_OP(in->code) == BPF_END) {
			/* byte swaps: the source bit picks the order, the immediate the width */
			if (cls == BPF_ALU && (in->imm == 16 || in->imm == 32 || in->imm == 64)) {
				snprintf(buf, size, "r%u = %s%" PRId32 " r%u", in->dst,
					 x ? "be" : "le", in->imm, in->dst);
				return;
			}
		} else if (BPF_OP(in->code) == BPF_NEG) {
			if (!x) {
				snprintf(buf, size, "%c%u = -%c%u", r, in->dst, r, in->dst);
				return;
			}
		} else if (BPF_OP(in->code) == BPF_MOV) {
			snprintf(buf, size, "%c%u = %s", r, in->dst, operand);
			return;
		} else if (alu_ops[op]) {
			snprintf(buf, size, "%c%u %s %s", r, in->dst, alu_ops[op], operand);
			return;
		}
		break;
	case BPF_JMP:
	case BPF_JMP32:
		if (BPF_OP(in->code) == BPF_JA && cls == BPF_JMP && !x) {
			snprintf(buf, size, "goto %s%s", off, label);
			return;
		}
		if (BPF_OP(in->code) == BPF_CALL && cls == BPF_JMP && !x) {
			snprintf(buf, size, "call %s", imm);
			return;
		}
		if (BPF_OP(in->code) == BPF_EXIT && cls == BPF_JMP && !x) {
			snprintf(buf, size, "exit");
			return;
		}
		if (jmp_ops[op]) {
			snprintf(buf, size, "if %c%u %s %s goto %s%s", r, in->dst, jmp_ops[op],
				 operand, off, label);
			return;
		}
		break;
	case BPF_LD:
		if (is_wide_load(in) && next) {
			/* the low 32 bits in this slot's immediate, the high 32 in the next's */
			uint64_t v = (uint64_t)(uint32_t)next->imm << 32 | (uint32_t)in->imm;

			if (in->src)	/* a map fd or BTF id from libbpf: never in an object */
				snprintf(buf, size, "ld_pseudo\tr%u, %u, %" PRIu32, in->dst,
					 in->src, (uint32_t)in->imm);
			else
				snprintf(buf, size, "r%u = %s ll", in->dst,
					 number(n, sizeof(n), (int64_t)v, false));
			return;
		}
		/* the old socket-filter packet loads: r0 = the packet's bytes at imm (+ src) */
		if (BPF_SIZE(in->code) != BPF_DW && BPF_MODE(in->code) == BPF_ABS) {
			snprintf(buf, size, "r0 = *(%s *)skb[%s]", type, imm);
			return;
		}
		if (BPF_SIZE(in->code) != BPF_DW && BPF_MODE(in->code) == BPF_IND) {
			snprintf(buf, size, "r0 = *(%s *)skb[r%u]", type, in->src);
			return;
		}
		break;
	case BPF_LDX:
		if (BPF_MODE(in->code) == BPF_MEM) {
			snprintf(buf, size, "r%u = *(%s *)(%s)", in->dst, type, src_mem);
			return;
		}
		break;
	case BPF_ST:
		if (BPF_MODE(in->code) == BPF_MEM) {
			snprintf(buf, size, "*(%s *)(%s) = %s", type, dst_mem, imm);
			return;
		}
		break;
	case BPF_STX:
		if (BPF_MODE(in->code) == BPF_MEM) {
			snprintf(buf, size, "*(%s *)(%s) = r%u", type, dst_mem, in->src);
			return;
		}
		if (BPF_MODE(in->code) == BPF_ATOMIC &&
		    (BPF_SIZE(in->code) == BPF_W || BPF_SIZE(in->code) == BPF_DW) &&
		    assemble_atomic(in, dst_mem, buf, size))
			return;
		break;
	}
	snprintf(buf, size, "<unknown>");
}

/* --- the two ways of printing */

static void print_bytes(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%s%02x", i ? " " : "", p[i]);
}

/* The opcode, field by field: "61 = LDX 01 | W 00 | MEM 60". */
static int print_opcode(const struct insn *in)
{
	unsigned int cls = BPF_CLASS(in->code);
	const char *a, *b;
	unsigned int va, vb;

	if (cls == BPF_ALU || cls == BPF_ALU64 || cls == BPF_JMP || cls == BPF_JMP32) {
		/* arithmetic and jumps: operation (4 bits) | source (1 bit) | class (3 bits) */
		bool alu = cls == BPF_ALU || cls == BPF_ALU64;
		const char *name = (alu ? alu_names : jmp_names)[BPF_OP(in->code) >> 4];

		if (alu && BPF_OP(in->code) == BPF_END)	/* the source bit is the byte order */
			a = BPF_SRC(in->code) == BPF_TO_BE ? "BE" : "LE";
		else
			a = BPF_SRC(in->code) == BPF_X ? "X" : "K";
		return printf("%02x = %s %02x | %s %02x | %s %02x", in->code, class_names[cls],
			      cls, a, BPF_SRC(in->code), name ? name : "?", BPF_OP(in->code));
	}
	/* loads and stores: mode (3 bits) | size (2 bits) | class (3 bits) */
	va = BPF_SIZE(in->code);
	vb = BPF_MODE(in->code);
	a = size_names[va >> 3];
	b = mode_names[vb >> 5];
	return printf("%02x = %s %02x | %s %02x | %s %02x", in->code, class_names[cls], cls, a,
		      va, b ? b : "?", vb);
}

static const char *atomic_name(int32_t imm)
{
	switch (imm) {
	case BPF_ADD: return "ADD";
	case BPF_OR: return "OR";
	case BPF_AND: return "AND";
	case BPF_XOR: return "XOR";
	case BPF_ADD | BPF_FETCH: return "ADD | FETCH";
	case BPF_OR | BPF_FETCH: return "OR | FETCH";
	case BPF_AND | BPF_FETCH: return "AND | FETCH";
	case BPF_XOR | BPF_FETCH: return "XOR | FETCH";
	case BPF_XCHG: return "XCHG";
	case BPF_CMPXCHG: return "CMPXCHG";
	default: return "?";
	}
}

/* The learner's view of one instruction: its bytes and assembly, then each field with the
 * bytes it came from. pc is the instruction's number in its section. */
static void explain(const struct insn *in, const struct insn *next, const uint8_t *p,
		    size_t pc, const char *text, const struct reloc *rel)
{
	int n;

	printf("%5zu: ", pc);
	print_bytes(p, INSN_SIZE);
	printf("  %s", text);
	/* a helper call names the helper by number: say which one */
	if (in->code == (BPF_JMP | BPF_CALL) && !in->src && in->imm > 0 &&
	    (uint32_t)in->imm < NR_HELPERS && helper_names[in->imm])
		printf("  (%s)", helper_names[in->imm]);
	printf("\n");
	if (next) {
		printf("%5zu: ", pc + 1);
		print_bytes(p + INSN_SIZE, INSN_SIZE);
		printf("  (the wide load's second half)\n");
	}
	printf("       ");
	n = print_opcode(in);
	printf("%*s  %02x = src r%u, dst r%u", n < 30 ? 30 - n : 0, "", in->regs, in->src, in->dst);
	if ((BPF_CLASS(in->code) == BPF_JMP || BPF_CLASS(in->code) == BPF_JMP32) &&
	    BPF_OP(in->code) != BPF_CALL && BPF_OP(in->code) != BPF_EXIT)
		/* a jump counts instructions from the one after it */
		printf("  off %04x = %+d (to %lld)", (uint16_t)in->off, in->off,
		       (long long)pc + 1 + in->off);
	else
		printf("  off %04x = %d", (uint16_t)in->off, in->off);
	printf("  imm %08" PRIx32 " = ", (uint32_t)in->imm);
	if (BPF_CLASS(in->code) == BPF_STX && BPF_MODE(in->code) == BPF_ATOMIC)
		printf("%s\n", atomic_name(in->imm));
	else
		printf("%" PRId32 "\n", in->imm);
	if (next)
		printf("       next imm %08" PRIx32 ": the 64-bit value is %08" PRIx32 "%08" PRIx32
		       "\n", (uint32_t)next->imm, (uint32_t)next->imm, (uint32_t)in->imm);
	if (rel && rel->type == 1)
		printf("       relocation %s %s: libbpf puts the map's fd here, the kernel its"
		       " address\n", reloc_type_name(rel->type), rel->name);
	else if (rel)
		printf("       relocation %s %s: libbpf fills this in when it loads the program\n",
		       reloc_type_name(rel->type), rel->name);
}

/* Print the function names and labels that start at byte addr (learner's view). */
static void print_labels(const struct object *obj, size_t shndx, uint64_t addr)
{
	GElf_Sym sym;
	size_t i;

	for (i = 0; i < obj->nsyms; i++) {
		if (gelf_getsym(obj->symdata, (int)i, &sym) && is_code_label(obj, &sym, shndx) &&
		    sym.st_value == addr)
			printf("%s%s:\n", GELF_ST_TYPE(sym.st_info) == STT_FUNC ? "\n" : "",
			       symbol_name(obj, &sym));
	}
}

/* What the learner's view starts with: the section, and how to read what follows. */
static void print_header(const struct object *obj, size_t shndx, const uint8_t *code, size_t len)
{
	const char *name = strrchr(obj->path, '/') ? strrchr(obj->path, '/') + 1 : obj->path;
	size_t slots = len / INSN_SIZE, insns = 0, i;

	for (i = 0; i < slots; i++, insns++)
		if (code[i * INSN_SIZE] == (BPF_LD | BPF_DW | BPF_IMM))
			i++;	/* a wide load fills two slots */
	printf("%s: section %s, %zu bytes: %zu instructions in %zu slots of 8 bytes\n", name,
	       section_name(obj, shndx), len, insns, slots);
	printf("  an instruction: opcode (1 byte), registers (1 byte: src in the high 4 bits, dst"
	       " in the low 4),\n  offset (2 bytes), immediate (4 bytes); offset and immediate are"
	       " little-endian\n");
}

static size_t decode_section(const struct object *obj, size_t shndx, const Elf_Data *data)
{
	const uint8_t *code = data->d_buf;
	size_t len = data->d_size, pc = 0, nrel = 0, count = 0, i;
	struct reloc *relocs = section_relocs(obj, shndx, &nrel);

	if (!llvm_lines)
		print_header(obj, shndx, code, len);
	while ((pc + 1) * INSN_SIZE <= len) {
		const uint8_t *p = code + pc * INSN_SIZE;
		struct insn in = decode(p), second, *next = NULL;
		size_t slots = 1;
		const struct reloc *rel = NULL;
		char label[128] = "", text[160];
		unsigned int cls = BPF_CLASS(in.code);

		if (is_wide_load(&in) && (pc + 2) * INSN_SIZE <= len) {
			second = decode(p + INSN_SIZE);
			next = &second;
			slots = 2;
		}
		if ((cls == BPF_JMP || cls == BPF_JMP32) && BPF_OP(in.code) != BPF_CALL &&
		    BPF_OP(in.code) != BPF_EXIT)
			jump_label(obj, shndx, (pc + 1 + in.off) * (uint64_t)INSN_SIZE, label,
				   sizeof(label));
		assemble(&in, next, label, text, sizeof(text));
		for (i = 0; i < nrel; i++)
			if (relocs[i].offset >= pc * INSN_SIZE &&
			    relocs[i].offset < (pc + slots) * INSN_SIZE)
				rel = &relocs[i];
		if (llvm_lines) {
			printf("%8zu:\t", pc);
			print_bytes(p, slots * INSN_SIZE);
			printf("\t%s\n", text);
			if (rel)
				printf("\t\t%016" PRIx64 ":  %s\t%s\n", rel->offset,
				       reloc_type_name(rel->type), rel->name);
		} else {
			print_labels(obj, shndx, pc * INSN_SIZE);
			explain(&in, next, p, pc, text, rel);
		}
		pc += slots;
		count++;
	}
	free(relocs);
	return count;
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s [-l] [-x] OBJECT.bpf.o\n"
		"Print every instruction of a BPF object's programs, field by field.\n"
		"\n"
		"  -l, --llvm   only the lines llvm-objdump -d -r prints for each instruction and\n"
		"               relocation, in its format (tools/tests/decode.sh compares them)\n"
		"  -x, --hex    numbers in hexadecimal, as llvm-objdump 17 and later print them\n"
		"  -h, --help   print this help\n"
		"\n"
		"Example: %s 03-count-packets/.build/count_packets.bpf.o (eBPF.md explains it)\n",
		prog, prog);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "llvm", no_argument, NULL, 'l' },
		{ "hex", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct object obj = { 0 };
	Elf_Scn *scn = NULL;
	GElf_Shdr shdr;
	size_t sections = 0;
	int c;

	while ((c = getopt_long(argc, argv, "lxh", options, NULL)) != -1) {
		switch (c) {
		case 'l':
			llvm_lines = true;
			break;
		case 'x':
			hex_numbers = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "%s: name one object file\n", prog);
		usage(stderr);
		return 2;
	}
	open_object(&obj, argv[optind]);
	/* The programs are in the sections marked executable: "xdp" for ours (SEC("xdp")). */
	while ((scn = elf_nextscn(obj.elf, scn))) {
		Elf_Data *data;

		if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != SHT_PROGBITS ||
		    !(shdr.sh_flags & SHF_EXECINSTR) || !shdr.sh_size)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf)
			fail("%s: cannot read section %s: %s", obj.path,
			     section_name(&obj, elf_ndxscn(scn)), elf_errmsg(-1));
		if (!llvm_lines && sections)
			printf("\n");
		decode_section(&obj, elf_ndxscn(scn), data);
		sections++;
	}
	if (!sections)
		fail("%s has no program: no executable section with instructions in it", obj.path);
	elf_end(obj.elf);
	close(obj.fd);
	return 0;
}

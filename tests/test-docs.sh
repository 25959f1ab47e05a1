#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The documents against the course, as a learner on GitHub meets them:
#  - every relative link and #anchor of every Markdown file resolves (GitHub's heading anchors);
#  - every SVG is well-formed and renders (rsvg-convert, to a PNG), and every X.dot has its X.svg;
#  - every loader command a transcript block shows ("$ " or "sudo " lines) uses only options
#    that loader's --help lists (lab/lab send: lab/xmit's);
#  - each C block of a lesson README quotes one of the lesson's sources or common/'s: its code
#    lines are that file's, in that order
#    ("..." elides; a block right after <!-- not a quote --> is not a quote: a "break it"
#    change, an exercise's hint).
# Each failure names FILE:LINE. Then the same checks on broken copies, to show they fail.
# No root needed; the loaders must be built (make test builds them first).
# arm/run: skip it reads the documents, not the kernel, and the emulated ARM VMs have no rsvg-convert
set -uo pipefail
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

MARKDOWN=$TOP/tests/markdown.pl

# ok when OUTPUT (one problem a line) is empty; else not ok, and the problems shown
tap_none() {	# tap_none NAME OUTPUT
	tap_ok "$1" test -z "$2"
	[ -z "$2" ] || tap_diag "$2"
}

# The files named *PATTERN under ROOT, from ROOT, but not git's, the builds' or arm/'s cache.
files() {	# files ROOT PATTERN
	(cd "$1" && find . \( -name .git -o -name '.build*' -o -path ./arm/.cache \) -prune -o \
		-type f -name "$2" -print | sed 's|^\./||' | LC_ALL=C sort)
}

# --- (b) the SVGs
svg_problems() {	# svg_problems ROOT FILE
	local png=$TMP/render.png
	rm -f "$png"
	if ! rsvg-convert "$1/$2" -o "$png" 2>"$TMP/rsvg-err"; then
		echo "$2: rsvg-convert cannot render it: $(head -n 3 "$TMP/rsvg-err")"
	elif [ ! -s "$png" ] || [ "$(head -c 4 "$png" | od -An -tx1 | tr -d ' ')" != 89504e47 ]; then
		echo "$2: rsvg-convert made no PNG of it"
	fi
}

# --- (c) the transcripts' loader commands
declare -A HELP_OPTS=()

# The options a program's --help lists, one a line: -i, --iface, ...
help_options() {	# help_options BINARY
	"$1" --help 2>&1 | grep -E '^ +-' | sed -E 's/^ +//; s/  .*//' |
		grep -oE -- '--?[A-Za-z0-9][A-Za-z0-9-]*' | sort -u
}

# The binary of ROOT's PROGRAM (LESSON/NAME), as lesson_bin finds it.
program_bin() {	# program_bin ROOT DIR NAME
	echo "$1/$2/${XDP_OUT:+$XDP_OUT/}$3"
}

# What is wrong with the options of the loader that COMMAND runs, one line each.
command_problems() {	# command_problems ROOT WHERE COMMAND
	local root=$1 where=$2 cmd=$3 words w i dir='' name='' bin opts key
	cmd=${cmd%%[[:space:]]#*}	# a comment
	cmd=${cmd%%[|;&<>]*}		# a pipe, a redirection, the next command
	read -ra words <<<"$cmd"
	for ((i = 0; i < ${#words[@]}; i++)); do
		w=${words[i]}
		if [[ $w =~ ^(\./)?([0-9][0-9]-[A-Za-z0-9-]+)/([A-Za-z0-9_]+)$ ]]; then
			dir=${BASH_REMATCH[2]} name=${BASH_REMATCH[3]}
			break
		elif [ "$w" = lab/lab ] || [ "$w" = ./lab/lab ]; then
			# lab/lab [-n NAME] send ARGS: ARGS are lab/xmit's
			[ "${words[i + 1]:-}" != -n ] || i=$((i + 2))
			if [ "${words[i + 1]:-}" = send ]; then
				dir=lab name=xmit i=$((i + 1))
				break
			fi
		fi
	done
	[ -n "$name" ] || return 0
	if [ ! -f "$root/$dir/$name.c" ]; then
		echo "$where: $dir/$name: no such program (no $dir/$name.c)"
		return
	fi
	bin=$root/$dir/${XDP_OUT:+$XDP_OUT/}$name	# as program_bin
	# lab/xmit is built in its folder whatever XDP_OUT says (lab/Makefile), as the lab runs it
	[ "$dir" != lab ] || bin=$root/lab/$name
	if [ ! -x "$bin" ]; then
		echo "$where: $dir/$name is not built (run make)"
		return
	fi
	if [ -z "${HELP_OPTS[$bin]+set}" ]; then
		HELP_OPTS[$bin]=" $(help_options "$bin" | tr '\n' ' ')"
	fi
	opts=${HELP_OPTS[$bin]}
	for w in "${words[@]:i+1}"; do
		case $w in
		-|--|[!-]*) continue ;;
		--*) key=${w%%=*} ;;
		*) key=${w:0:2} ;;
		esac
		[[ $opts == *" $key "* ]] ||
			echo "$where: $dir/$name has no option $key (its --help lists:$opts)"
	done
}

# The problems of FILE in ALL (one "FILE:LINE: ..." a line).
of_file() {	# of_file FILE ALL
	[ -z "$2" ] || awk -v f="$1:" 'index($0, f) == 1' <<<"$2"
}

# The four checks on the tree at ROOT; NAME says which tree. markdown.pl runs once per check,
# over all the files: a few perl starts, not one per file.
check_tree() {	# check_tree ROOT NAME
	local root=$1 name=$2 md svg dot docs=() lessons=() all cmds where cmd n
	mapfile -t docs < <(files "$root" '*.md')
	tap_ok "$name: there are Markdown files (${#docs[@]})" test "${#docs[@]}" -gt 0

	all=$(cd "$root" && "$MARKDOWN" links . "${docs[@]}" 2>&1) ||
		tap_none "$name: tests/markdown.pl links runs" "$all"
	for md in "${docs[@]}"; do
		tap_none "$name: $md: every relative link and #anchor resolves" "$(of_file "$md" "$all")"
	done

	if ! command -v rsvg-convert >/dev/null; then
		tap_ok "$name: rsvg-convert is here to render the SVGs (make deps installs it)" false
	else
		while read -r svg; do
			tap_none "$name: $svg: well-formed, renders to a PNG" "$(svg_problems "$root" "$svg")"
		done < <(files "$root" '*.svg')
	fi
	while read -r dot; do
		tap_ok "$name: $dot: drawn as ${dot%.dot}.svg beside it" test -s "$root/${dot%.dot}.svg"
	done < <(files "$root" '*.dot')

	cmds=$(cd "$root" && "$MARKDOWN" commands "${docs[@]}" 2>&1) ||
		tap_none "$name: tests/markdown.pl commands runs" "$cmds"
	all=$(while IFS=$'\t' read -r where cmd; do
		command_problems "$root" "$where" "$cmd"
	done <<<"$cmds")
	for md in "${docs[@]}"; do
		n=$(of_file "$md" "$cmds" | grep -cE '[0-9][0-9]-[A-Za-z0-9-]+/[A-Za-z0-9_]+( |$)|lab/lab .*send')
		[ "$n" -gt 0 ] || continue
		tap_none "$name: $md: its $n loader commands use only options their --help lists" \
			"$(of_file "$md" "$all")"
	done

	mapfile -t lessons < <(cd "$root" && ls -d [0-9][0-9]-*/README.md 2>/dev/null)
	all=$(cd "$root" && "$MARKDOWN" quotes . "${lessons[@]}" 2>&1) ||
		tap_none "$name: tests/markdown.pl quotes runs" "$all"
	for md in "${lessons[@]}"; do
		tap_none "$name: $md: its C blocks quote ${md%/README.md}/'s sources and common/'s" \
			"$(of_file "$md" "$all")"
	done
}

check_tree "$TOP" course

# --- The checks themselves: a small tree with one of each mistake, each of which must be named.
T=$TMP/tree
mkdir -p "$T/01-demo" "$T/common"
cat >"$T/README.md" <<'EOF'
# Demo
## Run it
## Run it
[ok](01-demo/README.md#run-it-1) [ok](#run-it) [ok](01-demo/demo.c#L2) `[code](nowhere.md)`
[missing file](nowhere.md)
[missing anchor](01-demo/README.md#no-such-heading)
[a link whose text
spans lines](gone.svg)

```
[not a link](inside-a-block.md)
$ sudo ./01-demo/demo -i veth0 -q
$ sudo lab/lab exec host ./01-demo/demo -i veth0 --mode skb --nope 2>&1 | tail   # a comment
```
EOF
cat >"$T/01-demo/README.md" <<'EOF'
# 01 — Demo: `demo.c`
## Run it
## Run it
[back](../README.md#demo) [the title](#01--demo-democ)

```c
int main(void)
{
	return ...;
	return 1;
}
```

<!-- not a quote -->
```c
	return 3;
```

```c
	return 2;	/* break it */
```
EOF
printf 'int main(void)\n{\n\treturn 0;\n}\n' >"$T/01-demo/demo.c"
printf '\treturn 1;\n' >"$T/01-demo/broken_demo.c"	# a "break it" variant
demo=$(program_bin "$T" 01-demo demo)	# a loader whose --help lists -i and -m
mkdir -p "$(dirname "$demo")"
printf '#!/bin/sh\necho "  -i, --iface IFACE  x"\necho "  -m, --mode MODE  y"\n' >"$demo"
chmod +x "$demo"
cat >"$T/good.svg" <<'EOF'
<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20"
 fill="white"/><text x="4" y="14">ok</text></svg>
EOF
head -c 100 "$T/good.svg" >"$T/cut.svg"		# not well-formed: cut short
echo '<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0"/>' >"$T/empty.svg"

links=$(cd "$T" && "$MARKDOWN" links . README.md 01-demo/README.md)
tap_is "$links" "README.md:5: nowhere.md: no such file (nowhere.md)
README.md:6: 01-demo/README.md#no-such-heading: no heading in 01-demo/README.md has the anchor #no-such-heading
README.md:8: gone.svg: no such file (gone.svg)" \
	"links: a missing file and a missing anchor are named, with their lines; duplicate headings get -1"
svgs=$(for f in good cut empty; do svg_problems "$T" "$f.svg"; done)
# (librsvg 2.54 and 2.60 word an empty picture differently: the file is what counts)
tap_is "$(cut -d: -f1 <<<"$svgs" | tr '\n' ' ')" "cut.svg empty.svg " \
	"SVGs: a cut-short SVG and an empty one fail, a good one passes"
tap_diag "$svgs"
cmds=$(cd "$T" && "$MARKDOWN" commands README.md | while IFS=$'\t' read -r where cmd; do
	command_problems "$T" "$where" "$cmd"
done)
tap_is "${cmds// (its --help lists: --iface --mode -i -m )/}" "README.md:12: 01-demo/demo has no option -q
README.md:13: 01-demo/demo has no option --nope" \
	"commands: an option the loader's --help does not list is named, with its line"
quotes=$(cd "$T" && "$MARKDOWN" quotes . 01-demo/README.md)
tap_is "$quotes" "01-demo/README.md:10: not in this order in 01-demo/demo.c, the file the block quotes: return 1;
01-demo/README.md:20: in no source of 01-demo/ nor common/: return 2; /* break it */" \
	"quotes: a line the quoted file does not have, or no file, is named; ... elides; a marked block is not a quote"

tap_done

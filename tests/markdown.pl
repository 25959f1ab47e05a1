#!/usr/bin/env perl
# SPDX-License-Identifier: GPL-2.0
#
# What tests/test-docs.sh needs to know of the course's Markdown, the way GitHub reads it.
# Perl, not shell: GitHub's heading anchors are Unicode-aware (an em dash goes, an accented
# letter stays), and perl is here anyway (prove). Each command prints one line per problem,
# "FILE:LINE: what is wrong", and nothing when all is well.
#
#   tests/markdown.pl links TOP FILE.md...   every relative link and #anchor resolves
#   tests/markdown.pl commands FILE.md...    FILE:LINE<TAB>COMMAND for each command shown in a
#                                            transcript block ("$ " or "sudo " lines)
#   tests/markdown.pl quotes TOP FILE.md...  the code lines of each fenced C block of a
#                                            lesson's README are, in that order, lines of one
#                                            of that lesson's sources or common/'s ("..."
#                                            elides); a block right after the line
#                                            <!-- not a quote --> is not checked
#   tests/markdown.pl anchors FILE.md        the anchors of FILE's headings, one a line
use strict;
use warnings;
use utf8;
use File::Basename qw(dirname);
use File::Spec;

binmode STDOUT, ':encoding(UTF-8)';

my $NOT_A_QUOTE = '<!-- not a quote -->';

sub slurp {
	my ($path) = @_;
	open my $fh, '<:encoding(UTF-8)', $path or die "markdown.pl: $path: $!\n";
	local $/;
	my $text = <$fh>;
	close $fh;
	return $text;
}

# The file's lines, each with what it is: [kind, text, info, fence line], kind "text" or "code"
# (a fenced block's body; its fences are "fence"). Fences: ``` or ~~~, up to 3 spaces in,
# closed by the same character at least as many times.
sub classify {
	my ($text) = @_;
	my @out;
	my ($fence, $info, $start);
	my $n = 0;
	for my $line (split /\n/, $text, -1) {
		$n++;
		if (!defined $fence) {
			if ($line =~ /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/) {
				($fence, $info, $start) = ($1, $2, $n);
				push @out, ['fence', $line, $info, $start];
			} else {
				push @out, ['text', $line, '', 0];
			}
		} elsif ($line =~ /^ {0,3}(\Q${\substr($fence, 0, 1)}\E{3,})\s*$/ &&
			 length($1) >= length($fence)) {
			push @out, ['fence', $line, $info, $start];
			undef $fence;
		} else {
			push @out, ['code', $line, $info, $start];
		}
	}
	return @out;
}

# The text as GitHub renders links from it: code blocks, inline code and HTML comments
# blanked out (newlines kept, so that offsets still give line numbers).
sub linkable_text {
	my ($text) = @_;
	my $t = join "\n", map { $_->[0] eq 'text' ? $_->[1] : '' } classify($text);
	my $blank = sub { (my $s = $_[0]) =~ s/[^\n]/ /g; $s };
	$t =~ s/(<!--.*?-->)/$blank->($1)/gse;
	$t =~ s/((`+)(?:(?!\2).)+?\2)/$blank->($1)/gse;
	return $t;
}

# GitHub's anchor for a heading: its text as rendered (links become their text, markup goes),
# lowercased, everything but letters, digits, spaces, - and _ removed, spaces become -.
sub slug {
	my ($h) = @_;
	$h =~ s/!?\[([^\]]*)\]\([^)]*\)/$1/g;	# [text](url) -> text
	$h =~ s/<[^>]*>//g;			# HTML tags
	$h = lc $h;
	$h =~ s/[^\p{L}\p{M}\p{N}\p{Pc} \-]//g;
	$h =~ s/ /-/g;
	return $h;
}

sub anchors {
	my ($path) = @_;
	my (%seen, %anchors);
	my @lines = classify(slurp($path));
	for my $i (0 .. $#lines) {
		my ($kind, $line) = @{$lines[$i]};
		next unless $kind eq 'text';
		my $heading;
		if ($line =~ /^ {0,3}#{1,6}(?:\s+(.*?))?\s*$/) {
			$heading = defined $1 ? $1 : '';
			$heading =~ s/\s+#+\s*$//;	# closing hashes
		} elsif ($i < $#lines && $lines[$i + 1][0] eq 'text' && $line =~ /\S/ &&
			 $lines[$i + 1][1] =~ /^ {0,3}(=+|-+)\s*$/ && $line !~ /^\s*([-*+|]|\d+\.)\s/) {
			$heading = $line;		# setext: a line underlined by === or ---
			$heading =~ s/^\s+|\s+$//g;
		}
		if (defined $heading) {
			my $base = slug($heading);
			my $s = $base;
			$s = "$base-" . $seen{$base} if $seen{$base};
			$seen{$base}++;
			$anchors{$s} = 1;
		}
		# explicit anchors: <a name="x"></a>, id="x"
		$anchors{$1} = 1 while $line =~ /\b(?:name|id)="([^"]+)"/g;
	}
	return \%anchors;
}

sub url_decode {
	my ($s) = @_;
	$s =~ s/%([0-9A-Fa-f]{2})/chr(hex($1))/ge;
	return $s;
}

my %anchor_cache;

# Nothing, or what is wrong with a link from FILE to TARGET.
sub check_link {
	my ($top, $file, $target) = @_;
	return if $target =~ m{^[A-Za-z][A-Za-z0-9+.-]*:} || $target =~ m{^//};	# http:, mailto:
	my ($path, $anchor) = $target =~ /^([^#]*)(?:#(.*))?$/;
	$path = url_decode($path);
	my $dest;
	if ($path eq '') {
		$dest = $file;
	} else {
		$dest = $path =~ m{^/} ? "$top$path" : dirname($file) . "/$path";
		my $canon = File::Spec->canonpath($dest);
		# no link out of the repository: GitHub would show a 404
		my @parts;
		for my $p (split m{/}, File::Spec->abs2rel($canon, $top)) {
			if ($p eq '..') {
				return "$target leaves the repository" unless @parts;
				pop @parts;
			} elsif ($p ne '.' && $p ne '') {
				push @parts, $p;
			}
		}
		$dest = join '/', $top, @parts;
		return "$target: no such file ($path)" unless -e $dest;
	}
	return unless defined $anchor && $anchor ne '';
	if ($dest =~ /\.md$/i) {
		$anchor_cache{$dest} //= anchors($dest);
		my $a = url_decode($anchor);
		return if $anchor_cache{$dest}{lc $a} || $anchor_cache{$dest}{$a};
		my $where = $path eq '' ? 'this file' : $path;
		return "$target: no heading in $where has the anchor #$a";
	}
	if ($anchor =~ /^L(\d+)(?:-L(\d+))?$/) {	# a line of a source file
		my $want = defined $2 ? $2 : $1;
		my $lines = () = slurp($dest) =~ /\n/g;
		return if -f $dest && $want <= $lines + 1;
		return "$target: $path has no line $want";
	}
	return "$target: #$anchor in a file that is not Markdown";
}

sub cmd_links {
	my ($top, @files) = @_;
	$top = File::Spec->rel2abs($top);
	for my $file (@files) {
		my $abs = File::Spec->rel2abs($file);
		my $t = linkable_text(slurp($abs));
		my @found;	# [offset, target]
		# inline links and images; the text may hold [brackets] and span lines
		while ($t =~ /!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*(<[^>]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g) {
			my ($off, $u) = ($-[2], $2);
			$u =~ s/^<(.*)>$/$1/;
			push @found, [$off, $u];
		}
		# reference definitions: [name]: target
		while ($t =~ /^ {0,3}\[[^\]]+\]:\s*(\S+)/mg) {
			push @found, [$-[1], $1];
		}
		# HTML: <a href="...">, <img src="...">
		while ($t =~ /<(?:a|img)\b[^>]*?\b(?:href|src)="([^"]*)"/g) {
			push @found, [$-[1], $1];
		}
		for my $f (sort { $a->[0] <=> $b->[0] } @found) {
			my $why = check_link($top, $abs, $f->[1]);
			next unless defined $why;
			my $line = 1 + (() = substr($t, 0, $f->[0]) =~ /\n/g);
			print "$file:$line: $why\n";
		}
	}
}

# Transcript blocks: fenced blocks without a language, or a shell or console one. Their
# commands are the lines that start with "$ " (the prompt is dropped) or with "sudo ";
# a line ending in \ goes on on the next.
sub cmd_commands {
	my (@files) = @_;
	for my $file (@files) {
		my @lines = classify(slurp($file));
		my ($cmd, $at);
		for my $i (0 .. $#lines) {
			my ($kind, $line, $info) = @{$lines[$i]};
			if ($kind ne 'code' || $info !~ /^(|console|shell|sh|bash|text)$/) {
				undef $cmd;
				next;
			}
			if (defined $cmd) {
				$cmd .= " $line";
			} elsif ($line =~ /^\$ (.*)$/ || $line =~ /^(sudo .*)$/) {
				($cmd, $at) = ($1, $i + 1);
			} else {
				next;
			}
			if ($cmd =~ s/\\$//) {
				next;
			}
			print "$file:$at\t$cmd\n";
			undef $cmd;
		}
	}
}

# A quoted line with runs of blanks made one space, ends trimmed.
sub norm {
	my ($s) = @_;
	$s =~ s/\s+/ /g;
	$s =~ s/^ | $//g;
	return $s;
}

my %source_cache;

# The lesson's sources and common/'s: the files at the top of the lesson (its programs and its
# "break it" variants), not its tests or solutions; each normalised, one line each, in one
# string that starts with a newline: [name, text] for each.
sub sources {
	my ($top, $lesson) = @_;
	return @{$source_cache{$lesson}} if $source_cache{$lesson};
	my @files = grep { -f } map { glob "$top/$_/*.c $top/$_/*.h" } $lesson, 'common';
	my @out;
	for my $f (sort @files) {
		my $text = "\n";
		$text .= norm($_) . "\n" for split /\n/, slurp($f);
		push @out, [File::Spec->abs2rel($f, $top), $text];
	}
	$source_cache{$lesson} = \@out;
	return @out;
}

# A quoted line as a pattern: "..." elides, and what it stands for may go on over lines.
sub quote_re {
	my ($q) = @_;
	my @pieces = grep { $_ ne '' } map { norm($_) } split /\.\.\.|…/, $q;
	my $re = join '[\s\S]{0,400}?', map { quotemeta } @pieces;
	return qr/\n[^\n]*?$re/;
}

# Which of a block's lines ([line number, text, pattern]) one file's text does not have in
# that order (each searched for after the one before it).
sub misses {
	my ($text, @block) = @_;
	my ($pos, @miss) = (0);
	for my $l (@block) {
		pos($text) = $pos;
		if ($text =~ /$l->[2]/g) {
			$pos = pos($text);
		} else {
			push @miss, $l;
		}
	}
	return @miss;
}

# A block quotes one file: its code lines are that file's, in the same order. The file that
# has the most of them is the one it quotes; the lines it does not have are named.
sub check_block {
	my ($top, $file, $lesson, @block) = @_;
	return unless @block;
	my ($best, @best_miss);
	for my $src (sources($top, $lesson)) {
		my @miss = misses($src->[1], @block);
		if (!defined $best || @miss < @best_miss) {
			($best, @best_miss) = ($src->[0], @miss);
		}
		last unless @miss;
	}
	for my $l (@best_miss) {
		my $any = grep { $_->[1] =~ $l->[2] } sources($top, $lesson);
		print "$file:$l->[0]: ", ($any ? "not in this order in $best, the file the block quotes"
			: "in no source of $lesson/ nor common/"), ": $l->[1]\n";
	}
}

sub cmd_quotes {
	my ($top, @files) = @_;
	$top = File::Spec->rel2abs($top);
	for my $file (@files) {
		my $abs = File::Spec->rel2abs($file);
		my ($lesson) = File::Spec->abs2rel($abs, $top) =~ m{^(\d\d-[^/]+)/};
		next unless defined $lesson;
		my @lines = classify(slurp($abs));
		my ($skip_block, $prev_text, @block) = (0, '');
		for my $i (0 .. $#lines) {
			my ($kind, $line, $info) = @{$lines[$i]};
			if ($kind eq 'fence') {
				check_block($top, $file, $lesson, @block);
				@block = ();
				$skip_block = norm($prev_text) eq $NOT_A_QUOTE || $info !~ /^[cC]$/;
				$prev_text = '';
				next;
			}
			if ($kind eq 'text') {
				$prev_text = $line if $line =~ /\S/;
				next;
			}
			next if $skip_block;
			my $q = norm($line);
			# blank lines and elisions: "...", "/* ... */", "// ..."
			next if $q eq '' || $q =~ m{^(\.\.\.|…|/\* *(\.\.\.|…) *\*/|// *(\.\.\.|…))$};
			push @block, [$i + 1, $q, quote_re($q)];
		}
		check_block($top, $file, $lesson, @block);
	}
}

my $cmd = shift @ARGV // '';
if ($cmd eq 'links' && @ARGV >= 1) {
	cmd_links(@ARGV);
} elsif ($cmd eq 'commands') {
	cmd_commands(@ARGV);
} elsif ($cmd eq 'quotes' && @ARGV >= 1) {
	cmd_quotes(@ARGV);
} elsif ($cmd eq 'anchors' && @ARGV == 1) {
	print "$_\n" for sort keys %{anchors($ARGV[0])};
} else {
	print STDERR "usage: tests/markdown.pl links|quotes TOP FILE.md... | commands FILE.md... | anchors FILE.md\n";
	exit 2;
}

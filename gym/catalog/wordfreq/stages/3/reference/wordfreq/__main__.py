"""Command line: ``python -m wordfreq FILE [-n N] [--min-length L] [--json]``."""

import argparse
import sys

from wordfreq.counting import top_words
from wordfreq.output import as_json, as_text


def positive(text: str) -> int:
    """argparse type: an integer of at least 1."""
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: list[str] | None = None) -> int:
    """Print ``word count`` lines; exit 2 on a bad option or an unreadable file."""
    parser = argparse.ArgumentParser(prog="wordfreq", description="Most frequent words of a file.")
    parser.add_argument("file")
    parser.add_argument("-n", type=positive, default=10, help="how many words (default 10)")
    parser.add_argument("--min-length", type=positive, default=1, help="ignore shorter words")
    parser.add_argument("--json", action="store_true", help="print a JSON array")
    args = parser.parse_args(argv)
    try:
        with open(args.file, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        print(f"wordfreq: cannot read {args.file}: {getattr(exc, 'strerror', None) or exc}", file=sys.stderr)
        return 2
    ranked = top_words(text, args.n, args.min_length)
    sys.stdout.write(as_json(ranked) if args.json else as_text(ranked))
    return 0


if __name__ == "__main__":
    sys.exit(main())

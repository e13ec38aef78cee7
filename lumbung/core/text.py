import re

_WORD = re.compile(r"[\w'’-]+", re.UNICODE)


def word_count(text: str) -> int:
    """Words as a reader counts them; hyphenated Indonesian words (anak-anak) count once."""
    return len(_WORD.findall(text or ""))


# The largest id a database column holds (BigAutoField, signed 64 bits).
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """A positive whole number typed in a form or a query string (an id, a year), or None.

    Anything else is None rather than an error: text, "²" (a digit for `isdigit`, not for `int`),
    a value too large for the column (SQLite raises OverflowError on it) or a NUL byte.
    """
    value = str(value or "").strip()
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def parse_command_date(value: str | None):
    """A management command's --date (YYYY-MM-DD) as a date, None when not given; a typo ends the
    command with an Indonesian message (CommandError), never a traceback."""
    import datetime as dt

    from django.core.management.base import CommandError

    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Tanggal tidak dikenali: {value!r} (gunakan TTTT-BB-HH, misalnya 2026-07-31).") from None

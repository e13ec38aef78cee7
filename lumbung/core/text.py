import re

_WORD = re.compile(r"[\w'’-]+", re.UNICODE)


def word_count(text: str) -> int:
    """Words as a reader counts them; hyphenated Indonesian words (anak-anak) count once."""
    return len(_WORD.findall(text or ""))

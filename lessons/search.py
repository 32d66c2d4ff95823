"""Chinese words for the lecture hall's search: one tokenizer for lessons and queries.

Text and queries are cut alike (jieba's search mode, dictionary words only, so the
same phrase gives the same words wherever it stands), punctuation of either width
separates, and an article number (第六十七条, 第67条) stays one word. A lesson keeps
its words with the row (`LessonPage.search_words`, `search_key_words`) as
" word word … ", so a query is a few `contains " word "` filters on any database.
"""

import logging
import re
import shutil
import subprocess
import tempfile

import jieba

# jieba announces its dictionary on stderr at first use; the logs need none of it.
jieba.setLogLevel(logging.WARNING)

# Particles that say nothing on their own; dropped from queries that have other words.
STOP_WORDS = frozenset("的了和与及或在是被把对于从由以之其等")

_SEPARATORS = re.compile(r"[^\w]+", re.UNICODE)  # punctuation and spaces, either width
_ARTICLE = re.compile(r"第([零〇一二两三四五六七八九十百千\d]+)条")
_DIGITS = "零一二三四五六七八九"


def warm_up() -> None:
    """Load jieba's dictionary now (about 1–5 s), not in an officer's first search."""
    jieba.initialize()


def _chinese_number(number: int) -> str:
    """67 → 六十七, 110 → 一百一十 (article numbers are written in Chinese in laws)."""
    if number < 10:
        return _DIGITS[number]
    if number < 20:
        return "十" + (_DIGITS[number % 10] if number % 10 else "")
    units = [(1000, "千"), (100, "百"), (10, "十")]
    out, pending_zero = "", False
    for size, name in units:
        digit, number = divmod(number, size)
        if digit:
            out += ("零" if pending_zero else "") + _DIGITS[digit] + name
            pending_zero = False
        elif out:
            pending_zero = True
    if number:
        out += ("零" if pending_zero else "") + _DIGITS[number]
    return out


def _article(match: re.Match) -> str:
    number = match.group(1)
    if number.isdigit() and 0 < int(number) < 10000:
        number = _chinese_number(int(number))
    return f"第{number}条"


def words(text: str) -> list[str]:
    """Every word of the text, in order, repeats kept (jieba search mode, no HMM)."""
    found: list[str] = []
    for chunk in _SEPARATORS.split(text.lower()):
        if not chunk:
            continue
        at = 0
        for match in _ARTICLE.finditer(chunk):
            found += _cut(chunk[at : match.start()])
            found.append(_article(match))
            at = match.end()
        found += _cut(chunk[at:])
    return found


def _cut(text: str) -> list[str]:
    if not text:
        return []
    return [w for w in jieba.cut_for_search(text, HMM=False) if w.strip() and w != "_"]


def query_words(query: str) -> list[str]:
    """The words every result must contain, once each, particles left out."""
    found = list(dict.fromkeys(words(query)))
    meaningful = [w for w in found if w not in STOP_WORDS]
    return meaningful or found


def stored_words(text: str) -> str:
    """The form kept with a lesson: ' word word … ' (so ' word ' matches a whole word)."""
    return " " + " ".join(words(text)) + " " if text else ""


def occurrences(stored: str, wanted: list[str]) -> int:
    """How often the wanted words occur in a stored word list."""
    wanted_set = set(wanted)
    return sum(1 for w in stored.split() if w in wanted_set)


def highlight_spans(text: str, wanted: list[str]) -> list[tuple[int, int]]:
    """Where the wanted words stand in plain text (for <mark>), longest first, no overlaps."""
    taken: list[tuple[int, int]] = []
    for word in sorted(set(wanted), key=len, reverse=True):
        if not word:
            continue
        for match in re.finditer(re.escape(word), text, flags=re.IGNORECASE):
            span = match.span()
            if not any(span[0] < end and start < span[1] for start, end in taken):
                taken.append(span)
    return sorted(taken)


# --- handouts -------------------------------------------------------------

PDF_TEXT_LIMIT = 200_000  # characters kept per handout
PDF_TIMEOUT_SECONDS = 30


def pdf_text(path: str) -> str:
    """A PDF's text by poppler's `pdftotext` (already needed for case-file pages):
    it reads Chinese through the fonts' ToUnicode maps, runs outside the Python
    process (a hostile or broken file cannot take the server down) and is bounded by
    a timeout. An unreadable file gives no text, never an error."""
    executable = shutil.which("pdftotext")
    if executable is None:
        return ""
    try:
        result = subprocess.run(  # noqa: S603 - fixed executable, path from our storage
            [executable, "-enc", "UTF-8", "-q", path, "-"],
            capture_output=True, timeout=PDF_TIMEOUT_SECONDS, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    text = result.stdout.decode("utf-8", errors="ignore")
    return re.sub(r"\s+", " ", text).strip()[:PDF_TEXT_LIMIT]


def handout_text(document) -> str:
    """A handout's text, extracted once per file (kept by its hash in HandoutText)."""
    from .models import HandoutText

    if not document.file_extension.lower().lstrip(".") == "pdf":
        return ""
    file_hash = document.get_file_hash() if document.file else ""
    known = HandoutText.objects.filter(document=document).first()
    if known is not None and known.file_hash == file_hash:
        return known.text
    text = _document_pdf_text(document)
    HandoutText.objects.update_or_create(document=document, defaults={"file_hash": file_hash, "text": text})
    return text


def _document_pdf_text(document) -> str:
    if not document.file:
        return ""
    try:
        return pdf_text(document.file.path)
    except NotImplementedError:  # a storage without local paths: copy it out first
        pass
    except (OSError, ValueError):
        return ""
    try:
        with tempfile.NamedTemporaryFile(suffix=".pdf") as copy, document.open_file() as source:
            shutil.copyfileobj(source, copy)
            copy.flush()
            return pdf_text(copy.name)
    except (OSError, ValueError):
        return ""


def display_words(wanted: list[str]) -> list[str]:
    """The words to show an officer: 刑事诉讼法, not also 刑事, 诉讼 and 诉讼法 within it."""
    return [w for w in wanted if not any(w != other and w in other for other in wanted)]

"""Read a seed document (plain-text article or Markdown) into sections and FAQ pairs.

Two shapes are understood:

* Plain text shaped like a news article: a title line, an optional source line
  ("Original reporting by ...", "Source: ..."), paragraphs, then a "Frequently asked
  questions" section of alternating ``- question`` / ``- answer`` lines.
* Markdown: ``#`` title, ``##``/``###`` sections of paragraphs, and an FAQ section
  (a heading containing "FAQ" or "Frequently asked questions") with one sub-heading per
  question and its answer below. A heading may carry an explicit key, Pandoc style:
  ``## Revenue {#revenue}``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

MAX_SEED_BYTES = 2 * 1024 * 1024
MARKDOWN_SUFFIXES = (".md", ".markdown")

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_KEY_ATTR = re.compile(r"\s*\{#([A-Za-z0-9_\-]+)\}\s*$")
_FAQ_HEADING = re.compile(r"^\s*(frequently asked questions|faqs?)\b\s*:?\s*$", re.IGNORECASE)
_SOURCE_LINE = re.compile(
    r"^\s*(?:\*|_)*(?:source|sources|original reporting by|reporting by|reported by|via|"
    r"according to)\b\s*:?\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# A run-in heading: capitalised words (small words inside), then a sentence opener.
_HEADING_SMALL_WORDS = frozenset(
    ("of", "and", "&", "for", "in", "on", "to", "the", "a", "an", "vs", "at", "by", "with"))
_RUN_IN = re.compile(
    r"^(?P<heading>[A-Z][\w'’\-]*(?:\s+(?:(?:of|and|&|for|in|on|to|the|a|an|vs|at|by|with)"
    r"\s+)*[A-Z0-9][\w'’\-]*){1,7})\s+(?P<starter>[A-Z][a-z]*)\s+[a-z0-9$]"
)
_SENTENCE_STARTERS = frozenset((
    "this", "these", "that", "those", "it", "its", "they", "their", "there", "the", "a",
    "an", "in", "on", "at", "for", "as", "with", "by", "while", "when", "since", "after",
    "before", "although", "though", "today", "now", "here", "such", "our", "we"))
_MARKUP = re.compile(r"(\*\*|__|\*|_|`)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")


class DocumentError(Exception):
    """A seed document cannot be read; the message says which file and why."""


@dataclass(frozen=True)
class Section:
    """A headed part of the document body.

    Attributes:
        heading: Heading text without markup or key attribute ("" for untitled text).
        key: Explicit key from ``{#key}``, or None.
        level: Heading level (2 for ``##``; 0 for untitled paragraphs).
        paragraphs: The section's paragraphs, markup removed.
        parent: Index of the enclosing section in ``Document.sections``, or None.
        run_in: The heading was glued to the start of its paragraph in plain text
            ("The Palantir Playbook This involves..."); see :func:`split_run_in_heading`.
    """

    heading: str
    key: str | None
    level: int
    paragraphs: tuple[str, ...]
    parent: int | None = None
    run_in: bool = False


@dataclass(frozen=True)
class FaqPair:
    """One question of the FAQ section and its answer."""

    question: str
    answer: str
    key: str | None = None


@dataclass(frozen=True)
class Document:
    """A parsed seed document.

    Attributes:
        path: Where it was read from.
        title: The title line.
        source: Who reported it (e.g. ``TechCrunch``), or None.
        source_line: The full source line as written, or None.
        sections: Body sections in order.
        faq: FAQ pairs in order.
    """

    path: str
    title: str
    source: str | None
    source_line: str | None
    sections: tuple[Section, ...]
    faq: tuple[FaqPair, ...]


def read_document(path: str | Path) -> Document:
    """Read and parse one seed file, choosing the format from its suffix and content.

    Args:
        path: A ``.md``/``.markdown`` file or a plain-text article.

    Returns:
        The parsed document.

    Raises:
        DocumentError: Missing, unreadable, empty, binary or too large file, or a file
            with no usable text.
    """
    file = Path(path)
    if not file.exists():
        raise DocumentError(f"{file}: no such file")
    if not file.is_file():
        raise DocumentError(f"{file}: not a regular file")
    try:
        if file.stat().st_size > MAX_SEED_BYTES:
            raise DocumentError(f"{file}: larger than {MAX_SEED_BYTES} bytes")
        raw = file.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{file}: cannot read ({exc.strerror})") from exc
    if b"\x00" in raw:
        raise DocumentError(f"{file}: binary content, expected a text document")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{file}: not UTF-8 text (byte {exc.start})") from exc
    if not text.strip():
        raise DocumentError(f"{file}: empty document")
    is_markdown = file.suffix.lower() in MARKDOWN_SUFFIXES or text.lstrip().startswith("# ")
    document = parse_markdown(text, str(file)) if is_markdown else parse_text(text, str(file))
    if not document.sections and not document.faq:
        raise DocumentError(f"{file}: no paragraphs or questions found")
    logger.debug("read %s: %d sections, %d FAQ pairs", file, len(document.sections),
                 len(document.faq))
    return document


def _strip_markup(text: str) -> str:
    return _MARKUP.sub("", _LINK.sub(r"\1", text)).strip()


def _source_from(line: str) -> tuple[str, str] | None:
    """Return (source name, whole line) when ``line`` names a source."""
    match = _SOURCE_LINE.match(_strip_markup(line))
    if not match:
        return None
    rest = match.group("rest").strip()
    name = re.split(r"[,;.(\"“]", rest, maxsplit=1)[0].strip()
    return (name, _strip_markup(line)) if name else None


def parse_text(text: str, path: str = "<text>") -> Document:
    """Parse a plain-text article: title line, source line, paragraphs, FAQ lines.

    Args:
        text: The article.
        path: Name used in messages.

    Returns:
        The document; every body paragraph is an untitled section.
    """
    lines = [line.strip() for line in text.splitlines()]
    body = [line for line in lines if line]
    if not body:
        return Document(path, "", None, None, (), ())
    title = _strip_markup(body[0])
    source = source_line = None
    paragraphs: list[str] = []
    faq_lines: list[str] = []
    in_faq = False
    for line in body[1:]:
        if not in_faq and _FAQ_HEADING.match(line):
            in_faq = True
            continue
        if in_faq:
            faq_lines.append(line)
            continue
        found = _source_from(line) if source is None and not paragraphs else None
        if found:
            source, source_line = found
            continue
        paragraphs.append(_strip_markup(line))
    sections = tuple(_plain_section(p) for p in paragraphs)
    return Document(path, title, source, source_line, sections, _faq_from_lines(faq_lines))


def _plain_section(paragraph: str) -> Section:
    """Return an untitled section, or a run-in headed one when the paragraph starts so."""
    split = split_run_in_heading(paragraph)
    if split is None:
        return Section("", None, 0, (paragraph,))
    heading, rest = split
    return Section(heading, None, 0, (rest,), run_in=True)


def split_run_in_heading(paragraph: str) -> tuple[str, str] | None:
    """Split a short Title-Case heading glued to the start of a paragraph from its text.

    Plain text copied from a web page loses the line break after a heading: ``The
    Palantir Playbook This involves deploying...``. The heading is a run of two to eight
    capitalised words (small words such as *of*, *and* allowed inside) with no sentence
    punctuation, not opening with a preposition, followed by a capitalised word that
    starts sentences (*This*, *It*, *The*, *In*...) and then a lower-case word or a
    number. A sentence that merely opens with a name (``CEO Arthur Mensch champions...``)
    does not qualify: its last capitalised word does not start sentences.

    Args:
        paragraph: One paragraph of plain text.

    Returns:
        ``(heading, rest of the paragraph)``, or None when it has no run-in heading.
    """
    match = _RUN_IN.match(paragraph)
    if match is None:
        return None
    heading = match.group("heading")
    words = heading.split()
    starter = match.group("starter")
    if (len(words) < 2 or starter.lower() not in _SENTENCE_STARTERS
            or words[-1].lower() in _HEADING_SMALL_WORDS
            or words[0].lower() in _HEADING_SMALL_WORDS - {"the", "a", "an"}):
        return None
    return heading, paragraph[match.start("starter"):]


def _faq_from_lines(lines: list[str]) -> tuple[FaqPair, ...]:
    """Pair ``- question`` / ``- answer`` items.

    An item ending in ``?`` is a question and the items after it are its answer; when no
    item ends in ``?`` the items simply alternate. A line that is not an item continues
    the item before it.
    """
    items: list[str] = []
    for raw in lines:
        text = _strip_markup(raw.strip().lstrip("-*• ").strip())
        if not text:
            continue
        if raw.lstrip().startswith(("-", "*", "•")) or not items:
            items.append(text)
        else:
            items[-1] = f"{items[-1]} {text}"
    if not any(item.endswith("?") for item in items):
        return tuple(FaqPair(q, a) for q, a in zip(items[0::2], items[1::2], strict=False))
    pairs: list[tuple[str, list[str]]] = []
    for item in items:
        if item.endswith("?") and (not pairs or pairs[-1][1]):
            pairs.append((item, []))
        elif pairs:
            pairs[-1][1].append(item)
    return tuple(FaqPair(q, " ".join(a)) for q, a in pairs if a)


def parse_markdown(text: str, path: str = "<markdown>") -> Document:
    """Parse Markdown: title, headed sections, and an FAQ section of question headings.

    Args:
        text: The Markdown source.
        path: Name used in messages.

    Returns:
        The document.
    """
    title = ""
    source = source_line = None
    sections: list[Section] = []
    faq: list[FaqPair] = []
    stack: list[tuple[int, int]] = []  # (level, index in sections) of open headings
    current: dict | None = None
    faq_level: int | None = None
    paragraph: list[str] = []
    faq_lines: list[str] = []

    def flush_paragraph() -> None:
        if paragraph and current is not None:
            current["paragraphs"].append(_strip_markup(" ".join(paragraph)))
        paragraph.clear()

    def close_current() -> None:
        nonlocal current
        flush_paragraph()
        if current is None:
            return
        if current["faq"]:
            answer = " ".join(current["paragraphs"]).strip()
            if answer:
                faq.append(FaqPair(current["heading"], answer, current["key"]))
        elif current["paragraphs"] or current["heading"]:
            sections.append(Section(current["heading"], current["key"], current["level"],
                                    tuple(current["paragraphs"]), current["parent"]))
            if current["heading"]:
                stack.append((current["level"], len(sections) - 1))
        current = None

    in_fence = False
    for raw in text.splitlines():
        line = raw.rstrip()
        if line.strip().startswith("```"):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        heading = _HEADING.match(line)
        if heading:
            level = len(heading.group(1))
            label = heading.group(2)
            key_match = _KEY_ATTR.search(label)
            key = key_match.group(1).replace("-", "_").lower() if key_match else None
            label = _strip_markup(_KEY_ATTR.sub("", label))
            close_current()
            if level == 1 and not title:
                title = label
                continue
            if faq_level is not None and level <= faq_level:
                faq_level = None
            if _FAQ_HEADING.match(label):
                faq_level = level
                continue
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent = stack[-1][1] if stack and faq_level is None else None
            current = {"heading": label, "key": key, "level": level, "paragraphs": [],
                       "parent": parent, "faq": faq_level is not None}
            continue
        if not line.strip():
            flush_paragraph()
            continue
        if current is None:
            if faq_level is not None:
                faq_lines.append(line)  # list-style FAQ, or introduction text
                continue
            found = _source_from(line) if source is None else None
            if found:
                source, source_line = found
                continue
            current = {"heading": "", "key": None, "level": 0, "paragraphs": [],
                       "parent": None, "faq": False}
        paragraph.append(line.strip().lstrip(">").strip())
    close_current()
    first_item = next((i for i, x in enumerate(faq_lines) if x.lstrip().startswith(("-", "*"))),
                      len(faq_lines))
    faq.extend(_faq_from_lines(faq_lines[first_item:]))  # lines before: introduction
    return Document(path, title, source, source_line, tuple(sections), tuple(faq))

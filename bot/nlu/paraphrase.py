"""Replace words a knowledge base does not know by the synonym it uses.

People ask in their own words: "where is it located" when every example says "based",
"what is the turnover" when the answers say "revenue". The paraphrase lexicon
(``paraphrases.yml`` next to this module, documented in ``docs/lexicon.md``) lists groups
of words and short phrases that are interchangeable in a question. It is general English,
not knowledge of any particular knowledge base.

:meth:`Lexicon.rewrite` walks a message's normalised tokens. At each position it looks
for the longest lexicon phrase starting there. A phrase whose content words the
knowledge base already knows is left alone: the knowledge base's own wording is
trusted. Otherwise, among the groups holding the phrase, the one whose members the
knowledge base uses most is taken (a strong group before a ``weak`` one), and the phrase
is replaced by that group's member the knowledge base uses most, a single word before a
phrase. A group none of whose members the knowledge base knows changes nothing, and the
phrase is then kept whole: its parts are not read in another sense.

Lexicon entries are normalised like messages (:func:`bot.nlu.normalize.tokenize`), so
"what's", "Set-up" and "HQ" are written naturally. Matching is on whole tokens, not
stems: "lead" (a lead investor) must not become "leader"; a file lists the inflections
it means.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml

from bot.nlu.lexicon import FUNCTION_WORDS
from bot.nlu.normalize import tokenize

logger = logging.getLogger(__name__)

DEFAULT_PATH = Path(__file__).with_name("paraphrases.yml")
_GROUP_KEYS = frozenset({"members", "weak"})
_BOOL_TAG = "tag:yaml.org,2002:bool"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster


class LexiconError(ValueError):
    """A paraphrase lexicon file is unreadable or malformed; the message names file:line:col."""


@dataclass(frozen=True)
class Rewrite:
    """A message's tokens after paraphrases were replaced.

    Attributes:
        tokens: The message's tokens with paraphrases replaced (a phrase may become one
            token and a word several).
        from_lexicon: Per output token, True when it came from the lexicon.
        weak: Per output token, True when it came from a ``weak`` group.
    """

    tokens: tuple[str, ...]
    from_lexicon: tuple[bool, ...]
    weak: tuple[bool, ...] = ()


@dataclass(frozen=True)
class Group:
    """One group of interchangeable words or phrases.

    Attributes:
        members: Normalised members, each a tuple of tokens, in the file's order.
        weak: True for a looser group, used only when no strong group applies.
        line: Line of the group in its file (1-based), for messages.
    """

    members: tuple[tuple[str, ...], ...]
    weak: bool = False
    line: int = 0


class Lexicon:
    """Paraphrase groups indexed by member, for :meth:`rewrite`.

    Args:
        groups: The groups, in the file's order (earlier groups win ties).
    """

    def __init__(self, groups: Sequence[Group]) -> None:
        self.groups = tuple(groups)
        index: dict[tuple[str, ...], list[int]] = {}
        for number, group in enumerate(self.groups):
            for member in group.members:
                holders = index.setdefault(member, [])
                if number not in holders:
                    holders.append(number)
        self._index = {phrase: tuple(numbers) for phrase, numbers in index.items()}
        self._longest = max((len(phrase) for phrase in self._index), default=0)

    def __len__(self) -> int:
        return len(self.groups)

    @property
    def phrases(self) -> frozenset[tuple[str, ...]]:
        """The members of more than one word, as token tuples."""
        return frozenset(p for p in self._index if len(p) > 1)

    def __contains__(self, phrase: object) -> bool:
        if isinstance(phrase, str):
            phrase = tuple(tokenize(phrase))
        return phrase in self._index

    def groups_of(self, phrase: str) -> tuple[Group, ...]:
        """Return the groups holding ``phrase`` (normalised like a message)."""
        return tuple(self.groups[n] for n in self._index.get(tuple(tokenize(phrase)), ()))

    def rewrite(self, tokens: Sequence[str], known: Callable[[str], int],
                answered: Callable[[str], int] | None = None) -> Rewrite:
        """Replace the phrases of ``tokens`` that the knowledge base does not know.

        Args:
            tokens: Normalised tokens of a message (:func:`bot.nlu.normalize.tokenize`),
                function words included ("set up", "in charge" need them).
            known: How often the knowledge base's examples use a word (0: unknown). It
                is also asked about phrases (words joined by single spaces): answer
                with the phrase's count when you have one (:func:`count_phrases`),
                else 0, and phrase members are then never used as replacements.
            answered: How often the knowledge base's answers use a word. A group with no
                member the examples use is replaced by the member the answers use most
                ("supplier" by "manufacturer" when only an answer says "manufacturer").

        Returns:
            The rewritten tokens, marked per token as coming from the lexicon or not.
        """
        out: list[str] = []
        marks: list[bool] = []
        weak: list[bool] = []
        position = 0
        while position < len(tokens):
            length, member, group = self._replacement(tokens, position, known, answered)
            if group is None:
                out.extend(member)
                marks.extend([False] * len(member))
                weak.extend([False] * len(member))
            else:
                out.extend(member)
                marks.extend([True] * len(member))
                weak.extend([group.weak] * len(member))
            position += length
        return Rewrite(tuple(out), tuple(marks), tuple(weak))

    def _replacement(
        self, tokens: Sequence[str], position: int, known: Callable[[str], int],
        answered: Callable[[str], int] | None = None,
    ) -> tuple[int, tuple[str, ...], Group | None]:
        """Return (length, tokens to emit, group or None) for the text at ``position``.

        The longest lexicon phrase starting there decides alone: when it is the knowledge
        base's own wording, or none of its groups has a member the knowledge base knows,
        it is kept whole (so "based on" is not read as the "based" of a place).
        """
        for length in range(min(self._longest, len(tokens) - position), 0, -1):
            phrase = tuple(tokens[position:position + length])
            holders = self._index.get(phrase)
            if holders is None:
                continue
            if _is_known(phrase, known):
                return length, phrase, None  # the knowledge base's own word: trusted
            best = self._best(holders, phrase, known)
            if best is None and answered is not None:
                # no member in the examples: the one the answers use, trusted as a weak
                # group's (an answer's word is weaker evidence than an example's)
                best = self._best(holders, phrase, answered, as_weak=True)
            if best is None:
                return length, phrase, None
            return length, best[0], best[1]
        return 1, (tokens[position],), None

    def _best(self, holders: Iterable[int], phrase: tuple[str, ...],
              counts: Callable[[str], int], as_weak: bool = False,
              ) -> tuple[tuple[str, ...], Group] | None:
        """Return (member to use, its group) of the groups ``holders``, or None.

        A strong group is preferred to a weak one, then the group whose members ``counts``
        finds most (:func:`_choose`); equal keys go to the group written first. With
        ``as_weak`` every group counts as weak, and the one returned is marked weak.
        """
        best: tuple[tuple[bool, int, int], tuple[str, ...], Group] | None = None
        for number in holders:
            group = self.groups[number]
            choice = _choose(group, phrase, counts)
            if choice is None:
                continue
            key = (not group.weak and not as_weak, *choice[0])
            if best is None or key > best[0]:
                best = (key, choice[1], replace(group, weak=True) if as_weak else group)
        return None if best is None else (best[1], best[2])


def _choose(
    group: Group, phrase: tuple[str, ...], known: Callable[[str], int]
) -> tuple[tuple[int, int], tuple[str, ...]] | None:
    """Return ((word uses, phrase uses), member to use) for ``group``, or None.

    A one-word member the knowledge base uses is preferred to a phrase; a phrase is the
    replacement only when no single word of the group is known and ``known`` counts the
    phrase itself (a phrase whose words are used apart, "next" and "to", is not used).
    """
    words = [(known(m[0]), m) for m in group.members if len(m) == 1 and m != phrase]
    phrases = [(known(" ".join(m)), m) for m in group.members if len(m) > 1 and m != phrase]
    word_uses = sum(count for count, _ in words)
    phrase_uses = sum(count for count, _ in phrases)
    pool = words if word_uses > 0 else phrases
    if word_uses + phrase_uses <= 0:
        return None
    top = max(count for count, _ in pool)
    return (word_uses, phrase_uses), next(m for count, m in pool if count == top)


def _is_known(phrase: tuple[str, ...], known: Callable[[str], int]) -> bool:
    """Return True when the knowledge base uses ``phrase`` or every content word of it.

    Function words ("in" of "in charge") are left out unless the phrase has nothing else.
    This errs towards keeping the user's words: "in charge" is kept when the knowledge
    base says "charge" in any sense.
    """
    if len(phrase) > 1 and known(" ".join(phrase)) > 0:
        return True
    content = [t for t in phrase if t not in FUNCTION_WORDS] or list(phrase)
    return all(known(t) > 0 for t in content)


def count_phrases(lexicon: Lexicon, documents: Iterable[Sequence[str]]) -> dict[str, int]:
    """Count how often each multi-word member of ``lexicon`` occurs in ``documents``.

    Use it to let ``known`` answer for phrases (see :meth:`Lexicon.rewrite`).

    Args:
        lexicon: The lexicon whose phrases are counted.
        documents: Normalised token lists, e.g. a knowledge base's examples.

    Returns:
        Phrase (tokens joined by single spaces) -> occurrences; phrases never seen are
        absent.
    """
    phrases = lexicon.phrases
    longest = max((len(p) for p in phrases), default=0)
    counts: dict[str, int] = {}
    for tokens in documents:
        for start in range(len(tokens)):
            for length in range(2, min(longest, len(tokens) - start) + 1):
                words = tuple(tokens[start:start + length])
                if words in phrases:
                    key = " ".join(words)
                    counts[key] = counts.get(key, 0) + 1
    return counts


def parse_lexicon(text: str, source: str = "<string>") -> Lexicon:
    """Build a :class:`Lexicon` from the YAML text of a lexicon file.

    Args:
        text: The file's content.
        source: The file's name, for error messages.

    Returns:
        The lexicon.

    Raises:
        LexiconError: The text is not valid YAML or not in the lexicon format.
    """
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise LexiconError(f"{_where(source, mark)}: invalid YAML: {problem}") from exc
    if root is None:
        raise LexiconError(f"{source}:1:1: empty file: expected 'groups:' with a list")
    if not isinstance(root, yaml.MappingNode):
        raise LexiconError(f"{_where(source, root.start_mark)}: expected a mapping with "
                           "'groups:'")
    entries = {key.value: value for key, value in root.value
               if isinstance(key, yaml.ScalarNode)}
    unknown = [key for key, _ in root.value
               if not isinstance(key, yaml.ScalarNode) or key.value not in {"groups", "version"}]
    if unknown:
        raise LexiconError(f"{_where(source, unknown[0].start_mark)}: unknown key "
                           f"{getattr(unknown[0], 'value', '?')!r}: expected 'groups' "
                           "(and optionally 'version')")
    node = entries.get("groups")
    if not isinstance(node, yaml.SequenceNode):
        mark = node.start_mark if node is not None else root.start_mark
        raise LexiconError(f"{_where(source, mark)}: 'groups' must be a list of groups")
    return Lexicon([_group(item, source) for item in node.value])


def _group(node: yaml.Node, source: str) -> Group:
    weak = False
    members_node = node
    if isinstance(node, yaml.MappingNode):
        members_node = None
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name not in _GROUP_KEYS:
                raise LexiconError(f"{_where(source, key.start_mark)}: unknown key {name!r} "
                                   "in a group: expected 'members' and optionally 'weak'")
            if name == "members":
                members_node = value
            elif not (isinstance(value, yaml.ScalarNode) and value.tag == _BOOL_TAG):
                raise LexiconError(f"{_where(source, value.start_mark)}: 'weak' must be "
                                   "true or false")
            else:
                weak = value.value.casefold() in {"true", "yes", "on"}
        if members_node is None:
            raise LexiconError(f"{_where(source, node.start_mark)}: a group needs 'members'")
    if not isinstance(members_node, yaml.SequenceNode):
        raise LexiconError(f"{_where(source, members_node.start_mark)}: a group is a list of "
                           "words or phrases, or a mapping with 'members' (a list)")
    members: list[tuple[str, ...]] = []
    for item in members_node.value:
        if not isinstance(item, yaml.ScalarNode) or not item.value.strip():
            raise LexiconError(f"{_where(source, item.start_mark)}: a member must be a "
                               "word or a phrase")
        tokens = tuple(tokenize(item.value))
        if not tokens:
            raise LexiconError(f"{_where(source, item.start_mark)}: member {item.value!r} "
                               "has no word in it")
        if tokens in members:
            raise LexiconError(f"{_where(source, item.start_mark)}: member {item.value!r} "
                               "appears twice in this group")
        members.append(tokens)
    if len(members) < 2:
        raise LexiconError(f"{_where(source, members_node.start_mark)}: a group needs at "
                           "least two members")
    return Group(tuple(members), weak, node.start_mark.line + 1)


def _where(source: str, mark: yaml.Mark | None) -> str:
    if mark is None:
        return source
    return f"{source}:{mark.line + 1}:{mark.column + 1}"


@lru_cache(maxsize=8)
def _load(path: Path) -> Lexicon:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LexiconError(f"{path}: cannot read the paraphrase lexicon: {exc}") from exc
    lexicon = parse_lexicon(text, str(path))
    logger.debug("paraphrase lexicon %s: %d groups", path, len(lexicon))
    return lexicon


def load_lexicon(path: Path | None = None) -> Lexicon:
    """Return the lexicon in ``path`` (the packaged ``paraphrases.yml`` when None), cached.

    Raises:
        LexiconError: The file is unreadable or malformed (the message names file:line).
    """
    return _load(Path(path).resolve() if path is not None else DEFAULT_PATH)

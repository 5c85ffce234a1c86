"""Generate the phrasings people type for an entry: short questions and key phrases.

Everything is lower case without punctuation, as typed in chat. From a heading such as
``Chief executive: Arthur Mensch`` come ``chief executive``, ``arthur mensch``,
``who is arthur mensch``, ``who is the chief executive``, ``who runs mistral``...; from an
FAQ question come the question itself, its halves (``..., and ...``), the question
without the company's full name, and its key words.
"""

from __future__ import annotations

import re

from bot.compiler import text as tx
from bot.compiler.facts import FAQ, Entry
from bot.compiler.text import wordset

MAX_EXAMPLES = 16
MAX_SENTENCE_WORDS = 18
ROLE_WORDS = wordset(
    "architect designer engineer inventor author creator scientist artist writer "
    "ceo chief executive founder cofounder co-founder president chair chairman chairwoman "
    "director head leader boss cto cfo coo manager captain principal "
)
LEADER_ROLES = wordset(
    "ceo chief executive founder president chairman boss leader "
)
_SPLIT_HEADING = re.compile(r"\s*[:—–]\s*|\s+-\s+")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an|our|its|their)\s+")
_QUESTION_START = re.compile(
    r"^(what|who|whom|whose|which|when|where|why|how|is|are|was|were|do|does|did|can|could|"
    r"will|would|should)\b"
)
_COMPOUND = re.compile(
    r",?\s+and\s+(?=(?:what|who|whom|which|when|where|why|how|is|are|does|do|did|can|has|"
    r"have)\b)",
    re.IGNORECASE,
)
_POSSESSIVE_START = re.compile(r"^(his|her|its|their)\s+")
PEOPLE_PLURALS = wordset(
    "investors backers founders cofounders owners shareholders partners customers clients "
    "employees members leaders executives staff team "
)
_ARTICLES = wordset(
    "the a an les la le los las el der die das "
)
_FILLER = wordset(
    "exactly really actually kind kinds type types sort sorts "
)
# Words people leave out when they ask the same thing in chat.
_MODIFIERS = wordset("major main key primary principal biggest largest leading core")
_KIND_OF = re.compile(r"\b(?:types?|kinds?|sorts?) of\s+")
# "who are its investors" is also asked "who invested in x".
_PEOPLE_VERBS = {"investors": "invested in", "backers": "backs", "funders": "funded",
                 "founders": "founded", "owners": "owns", "customers": "uses",
                 "clients": "uses"}
_MONEY_NOUNS = wordset("funding money capital investment investments financing")
_RAISE = re.compile(r"\b(?:raise|raised|raising|secure|secured|get|got|received)\b")
_OFFER = re.compile(
    r"^(?:what|which)\s+((?:[a-z\-]+\s+){0,2}[a-z\-]+s)\s+(?:does|do|did|can|will)\s+.*?"
    r"\b(?:develop|offer|make|build|sell|provide|produce|create|release)s?\b"
)


def short_subject(subject: str) -> str:
    """Return how people name the subject in chat: ``Mistral AI`` -> ``mistral``."""
    parts = tx.words(subject)
    return parts[0] if parts else ""


def generate_examples(entry: Entry, subject: str, limit: int = MAX_EXAMPLES,
                      idf: dict[str, float] | None = None,
                      avoid: frozenset[str] = frozenset()) -> list[str]:
    """Return up to ``limit`` distinct phrasings for ``entry``, most typical first.

    Args:
        entry: A fact or FAQ entry.
        subject: The document's subject (``Mistral AI``), used to vary phrasings.
        limit: Maximum number of examples.
        idf: Word rarity over the document (see :func:`text.idf_table`), used to add the
            most distinctive phrases of the answer.
        avoid: Words that name other entries (their headings): phrases of the answer
            containing them are not added.

    Returns:
        Lower-case phrasings without punctuation, each at least one word.
    """
    candidates = (_faq_examples(entry, subject) if entry.kind == FAQ
                  else _fact_examples(entry, subject, avoid))
    found: list[str] = []
    keys: set[str] = set()
    subject_words = set(tx.words(subject))
    own = frozenset(tx.content_words(f"{entry.cue} {entry.context}"))
    skip = frozenset(tx.words(subject)) | (avoid - own)
    extra = tx.salient_phrases(entry.body, idf, limit=2, skip=skip) if idf else []
    for candidate in candidates + extra:
        cleaned = tx.clean(candidate)
        key = tx.match_key(cleaned)
        bare = {w.removesuffix("'s") for w in cleaned.split()}
        if bare <= subject_words:  # "mistral's" alone names nothing to ask about
            continue
        if cleaned and key not in keys and cleaned not in tx.STOPWORDS:
            found.append(cleaned)
            keys.add(key)
    return found[:limit]


def primary_phrases(entry: Entry, subject: str) -> set[str]:
    """Return the phrasings that define ``entry`` (from its own heading or question).

    When the same phrasing is generated for two entries, the entry it is primary for keeps
    it.
    """
    if entry.kind == FAQ:
        return {tx.clean(entry.cue)}
    return {tx.clean(p) for p in _heading_parts(entry.cue)} | {tx.clean(entry.cue)}


def _heading_parts(heading: str) -> list[str]:
    """Split ``Strategy: the Palantir playbook`` into ``strategy``, ``palantir playbook``."""
    parts: list[str] = []
    plain = heading.replace('"', "").replace("\u201c", "").replace("\u201d", "")
    for chunk in _SPLIT_HEADING.split(plain):
        pieces = [chunk] + (chunk.split(" and ") if " and " in chunk else [])
        for piece in pieces:
            part = tx.clean(piece)
            if part.startswith("the ") or len(part.split()) == 2:
                part = _LEADING_ARTICLE.sub("", part)
            if part and part not in tx.STOPWORDS and part not in parts:
                parts.append(part)
    return parts


def _is_person(phrase: str, entry: Entry) -> bool:
    """True when ``phrase`` names a person: capitalised words, and a role or he/she nearby."""
    if not (_is_name(phrase, entry.cue) or _is_name(phrase, entry.body)):
        return False
    nearby = set(tx.words(f"{entry.cue} {entry.body}"))
    return bool(nearby & (ROLE_WORDS | {"he", "she", "his", "her"}))


def _is_name(phrase: str, original: str) -> bool:
    """True when ``phrase`` is written as a name (``Arthur Mensch``) in ``original``."""
    pattern = r"\b" + r"\s+".join(re.escape(w) for w in phrase.split()) + r"\b"
    match = re.search(pattern, original, re.IGNORECASE)
    if not match:
        return False
    tokens = match.group(0).split()
    return len(tokens) >= 2 and all(t[:1].isupper() for t in tokens)


def _fact_examples(entry: Entry, subject: str, avoid: frozenset[str] = frozenset()) -> list[str]:
    short = short_subject(subject)
    parts = _heading_parts(entry.cue)
    context_parts = _heading_parts(entry.context) if entry.context else []
    has_money = bool(tx.money_phrases(entry.body))
    out: list[str] = []
    if _QUESTION_START.match(tx.clean(entry.cue)):
        out += _question_variants(entry.cue, subject)
        keywords = " ".join(tx.content_words(entry.cue, tx.QUESTION_WORDS | _FILLER))
        out += [keywords, f"{short} {keywords}"] if keywords else []
        parts = []
    for index, part in enumerate(parts):
        possessive = _POSSESSIVE_START.match(part)
        if possessive and context_parts:
            rest = part[possessive.end():]
            for owner in context_parts:
                out += [f"{owner} {rest}", f"what is {owner}'s {rest}"]
            out += [part, f"what is {part}"]
            continue
        if context_parts:
            out += [f"{context_parts[0]} {part}", f"what about {part}"]
            if has_money:
                out += [f"what was the {context_parts[0]} {part}",
                        f"how much {context_parts[0]} {part}"]
            continue
        words = set(part.split())
        if words & ROLE_WORDS and part.split()[0] in ROLE_WORDS:
            tokens = part.split()
            cut = max(i for i, w in enumerate(tokens) if w in ROLE_WORDS) + 1
            role, name = " ".join(tokens[:cut]), " ".join(tokens[cut:])
            if name and _is_name(name, f"{entry.cue} {entry.body}"):
                out += [name, f"who is {name}"]  # "CEO Arthur Mensch"
                part = role
        if _is_person(part, entry):
            out += [part, f"who is {part}"]
            continue
        if part.split()[-1] in PEOPLE_PLURALS:
            out += [part, f"who are the {part}", f"who are {short} {part}",
                    f"{short} {part}", f"list of {part}"]
            continue
        if words & ROLE_WORDS:
            out += [part, f"who is the {part}", f"who is {short} {part}",
                    f"{short} {part}"]
            if words & LEADER_ROLES and short:
                out += [f"who runs {short}", f"who leads {short}", "who is in charge"]
            continue
        if part.startswith("about ") and len(part.split()) > 1:
            named = part.removeprefix("about ")  # "about mistral ai": the subject itself
            out += [named, f"what is {named}", f"tell me about {named}",
                    f"what does {short} do"]
            continue
        if index > 0:
            out += [part, f"{short} {part}", f"what is {part}"]
            continue
        out += _topic_questions(part, short, entry, has_money)
        head = part.split()[-1]
        plain_noun_phrase = 2 <= len(part.split()) <= 3 and not set(part.split()) & tx.STOPWORDS
        if plain_noun_phrase and len(head) >= 4 and head not in avoid:
            out += [head, f"{short} {head}"]  # "primary mirror" -> "mirror"
            out += _cue_questions(entry.body, head, "the ", short)
    for quoted in tx.quoted_phrases(f"{entry.cue} {entry.body}")[:2]:
        phrase = _LEADING_ARTICLE.sub("", tx.clean(quoted))
        out += [phrase, f"what does {phrase} mean"]
    for alias in tx.acronyms(entry.body)[:2]:
        if len(alias) >= 3:
            out.append(alias)
    first = tx.sentences(entry.body)[:1]
    if first and len(first[0].split()) <= MAX_SENTENCE_WORDS:
        out.append(first[0])
    return out


def _topic_questions(part: str, short: str, entry: Entry, has_money: bool) -> list[str]:
    """Return the questions people ask about a topic phrase, shaped by the kind of phrase.

    A name (``Forge``, ``Europe``) takes no article and no possessive ("what is the
    europe" is not English); a lone common noun reads best as "what about adoption" or
    "what is mistral's adoption"; a longer noun phrase takes "what is the ...". A phrase that
    already names the subject is not joined to it again.
    """
    tokens = part.split()
    verb = "are" if part.endswith("s") and not part.endswith("ss") else "is"
    article = "" if tokens[0] in _ARTICLES else "the "
    names_subject = bool(short) and short in tokens
    name_article = _name_article(part, f"{entry.cue} {entry.body}")
    is_name = name_article is not None
    out = [part]
    if not names_subject:
        out.append(f"{short} {part}")
    if is_name:
        out += [f"what {verb} {name_article}{part}", f"tell me about {name_article}{part}"]
    elif len(tokens) == 1:
        out += [f"what about {part}", f"tell me about {part}"]
        if not names_subject:
            out.append(f"what {verb} {short}'s {part}")
    else:
        out += [f"what {verb} {article}{part}", f"tell me about {part}"]
        if not names_subject:
            out.append(f"what {verb} {short}'s {part}")
    if has_money:
        out += [f"how much {part}", f"what was the {part}"]
    elif not names_subject:
        out.append(f"{part} {short}")
    return out + _cue_questions(entry.body, part, name_article if is_name else article, short)


def _name_article(phrase: str, original: str) -> str | None:
    """Return how ``original`` writes ``phrase`` when as a name, else None.

    A name has every word capitalised, not counting a sentence's first word (``Europe``,
    ``LLM``). The result is the article the text puts before it: ``"the "`` for ``the
    Palantir Playbook``, ``""`` for ``Europe``.
    """
    pattern = r"\b" + r"\s+".join(re.escape(w) for w in phrase.split()) + r"\b"
    for match in re.finditer(pattern, original, re.IGNORECASE):
        before = original[:match.start()].rstrip()
        if before.lower().endswith("the") and (len(before) == 3 or not before[-4].isalnum()):
            article = "the "
        elif not before or before.endswith((".", "!", "?", ":")):
            continue
        else:
            article = ""
        if all(t[:1].isupper() for t in match.group(0).split()):
            return article
    return None


def _cue_questions(body: str, part: str, article: str, short: str) -> list[str]:
    """Questions suggested by what the answer contains: a date, a size, a place."""
    out = []
    if tx.has_date(body):
        out += [f"when was {article}{part}", f"{part} date"]
        if len(part.split()) == 1:
            out.append(f"when did {short} {part}")
    if tx.has_measure(body):
        out += [f"how big is {article}{part}", f"size of {article}{part}",
                f"how large is {article}{part}"]
    if tx.has_location(body):
        out += [f"where is {short}", f"where is {article}{part}"]
    return out


def _chat_paraphrases(question: str, subject: str) -> list[str]:
    """Shorter ways people ask an FAQ question in chat, from English patterns only.

    ``who are its major investors`` -> ``who invested in x``, ``investors``; ``how much
    funding has x raised`` -> ``how much money did x raise``; ``what types of ai models
    does x develop`` -> ``what ai models does x make``, ``models``.
    """
    short = short_subject(subject)
    cleaned = tx.clean(question)
    if subject and short:
        cleaned = re.sub(rf"\b{re.escape(tx.clean(subject))}\b", short, cleaned)
    out: list[str] = []
    for part in (p.strip() for p in _COMPOUND.split(cleaned)):
        if not part:
            continue
        plain = _KIND_OF.sub("", " ".join(w for w in part.split() if w not in _MODIFIERS))
        plain = _name_pronouns(plain, short) if short else plain
        if plain != part:
            out.append(plain)
        words = plain.split()
        for noun, verb in _PEOPLE_VERBS.items():
            if noun in words and words[0] == "who" and short:
                out += [f"who {verb} {short}", noun, f"{short} {noun}"]
        money = [w for w in words if w in _MONEY_NOUNS]
        if money and _RAISE.search(plain) and short:
            out += [f"how much money did {short} raise", f"how much has {short} raised",
                    f"how much did {short} raise"]
        offer = _OFFER.match(plain)
        if offer and short:
            phrase, head = offer.group(1), offer.group(1).split()[-1]
            out += [f"what {phrase} does {short} make", f"what {phrase} does {short} offer",
                    f"what {head} does {short} have", head, f"{short} {head}"]
    return out


def _faq_examples(entry: Entry, subject: str) -> list[str]:
    variants = _question_variants(entry.cue, subject)
    out = variants[:3] + _chat_paraphrases(entry.cue, subject) + variants[3:]
    keywords = tx.content_words(_without_subject(entry.cue, subject),
                                tx.QUESTION_WORDS | _FILLER)
    verbs = _subject_verbs(entry.cue, subject)
    nouns = [w for w in keywords
             if w not in verbs and w not in _MODIFIERS and tx.noun_score(w) >= 0]
    if len(nouns) >= 2:  # "ai models", not "ai models develop"; else keep what there is
        keywords = nouns
    short = short_subject(subject)
    cue = tx.clean(entry.cue)
    if re.search(r"\byou\b", cue):  # "can you visit it" -> "can i visit it"
        out.append(re.sub(r"\byour\b", "my", re.sub(r"\byou\b", "i", cue)))
    for name in (tx.clean(subject), short):
        if name and re.search(rf"\b{re.escape(name)}\b", cue):
            out.append(re.sub(rf"\b(the\s+)?{re.escape(name)}\b", "it", cue))
            break
    if len(keywords) >= 2 or (keywords and len(keywords[0]) >= 5):
        phrase = " ".join(keywords[:3])
        out += [phrase, f"{short} {phrase}"]
    elif keywords:
        out.append(f"{short} {keywords[0]}")
    for quoted in tx.quoted_phrases(entry.answer)[:1]:
        out.append(f"what is {tx.clean(quoted)}")
    return out


def _subject_verbs(question: str, subject: str) -> frozenset[str]:
    """Return the verbs right after the subject of a question (``does x develop and offer``).

    A bag of a question's key words reads as people type it only without them: ``ai
    models``, not ``ai models develop``.
    """
    tokens = tx.words(question)
    names = [n for n in (tx.words(subject), tx.words(short_subject(subject)), ["it"]) if n]
    verbs: set[str] = set()
    for name in names:
        for start in range(len(tokens) - len(name) + 1):
            if tokens[start:start + len(name)] != name:
                continue
            for word in tokens[start + len(name):]:
                if word in ("and", "or"):
                    continue
                if word in tx.STOPWORDS:
                    break
                verbs.add(word)
        if verbs:
            break
    return frozenset(verbs)


def _question_variants(question: str, subject: str) -> list[str]:
    short = short_subject(subject)
    variants = [question]
    parts = [p.strip(" ,?") for p in _COMPOUND.split(question) if p.strip(" ,?")]
    if len(parts) > 1:
        variants += parts[:1]
        variants += [_name_pronouns(part, short) for part in parts[1:]]
    elif short and re.search(r"\b(it|its|they|their)\b", question, re.IGNORECASE):
        variants.append(_name_pronouns(question, short))
    if subject and short and tx.fold(subject) != short:
        variants += [re.sub(re.escape(subject), short, v, flags=re.IGNORECASE)
                     for v in list(variants)]
    trimmed = []
    for variant in variants:
        cleaned = tx.clean(variant)
        without = re.sub(r"\b(exactly|really|actually|in the \w+ market)\b", " ", cleaned)
        trimmed.append(" ".join(without.split()))
    return variants + trimmed


def _name_pronouns(text: str, short: str) -> str:
    """Replace ``it``/``its`` with the subject: ``how does it work`` -> ``how does x work``."""
    text = re.sub(r"\b(its|their)\b", f"{short}'s", text, flags=re.IGNORECASE)
    return re.sub(r"\b(it|they)\b", short, text, flags=re.IGNORECASE)


def _without_subject(text: str, subject: str) -> str:
    if not subject:
        return text
    out = re.sub(re.escape(subject), " ", text, flags=re.IGNORECASE)
    short = short_subject(subject)
    return re.sub(rf"\b{re.escape(short)}\b", " ", out, flags=re.IGNORECASE) if short else out

"""Compile seed documents into a Rasa 3.x knowledge base, next to the curated files.

Merge rules (curated always wins):

* a response the curated files define is not generated;
* a metadata key (``title``, ``topic``, ``related``) the curated files set on an intent is
  not generated for it;
* a generated example that a curated file already lists (under any intent) is dropped;
* examples of the same intent from both sides are merged by the loader.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.compiler import text as tx
from bot.compiler.document import Document, DocumentError, read_document
from bot.compiler.examples import generate_examples, primary_phrases
from bot.compiler.facts import Entry, document_subject, extract_entries, subject_aliases
from bot.compiler.writer import (
    IntentSpec,
    OverwriteError,
    ResponseSpec,
    render_nlu,
    render_responses,
    write_files,
)
from bot.kb.errors import KnowledgeBaseError
from bot.kb.loader import find_yaml_files, load_knowledge_base
from bot.kb.model import KnowledgeBase

logger = logging.getLogger(__name__)

SHARED_STEM = "_shared"
SOURCE_EXAMPLES = (
    "source", "sources", "what is your source", "where does this information come from",
    "where do you get your information", "who wrote this", "where is this from",
    "what are your sources", "citation", "how do you know this", "is this reliable",
    "who reported this", "reference", "where did you read that",
)
HELP_EXAMPLES = (
    "help", "what can you do", "what can i ask", "what do you know", "menu", "options",
    "what topics do you cover", "how does this work", "what questions can you answer",
    "what can you tell me", "commands", "i need help",
)


class CompileError(Exception):
    """Compiling failed; the message says why, for the user."""


@dataclass(frozen=True)
class CompileResult:
    """What a compile run did.

    Attributes:
        written: Files written (or already up to date).
        removed: Stale generated files removed.
        intents: Number of intents generated.
        examples: Number of examples generated.
        skipped_responses: Responses left out because curated files define them.
    """

    written: tuple[Path, ...]
    removed: tuple[Path, ...]
    intents: int
    examples: int
    skipped_responses: tuple[str, ...]


@dataclass(frozen=True)
class _Compiled:
    document: Document
    stem: str
    subject: str
    entries: list[Entry]
    examples: dict[str, list[str]]


def default_curated_dirs(out: Path) -> list[Path]:
    """Return ``<out>/../curated`` when it exists (``intents/generated`` -> ``curated``)."""
    sibling = out.resolve().parent / "curated"
    return [sibling] if sibling.is_dir() and sibling != out.resolve() else []


def load_curated(dirs: Sequence[Path]) -> KnowledgeBase | None:
    """Load the curated files of ``dirs`` into one knowledge base (None when there are none).

    Raises:
        CompileError: A curated file does not load; compiling would not know what to skip.
    """
    files = [f for d in dirs for f in find_yaml_files(d)] if dirs else []
    if not files:
        return None
    bad = [d for d in dirs if not Path(d).exists()]
    if bad:
        raise CompileError(f"curated folder not found: {bad[0]}")
    kbs = []
    for directory in dirs:
        if not find_yaml_files(directory):
            continue
        try:
            kbs.append(load_knowledge_base(directory))
        except KnowledgeBaseError as exc:
            raise CompileError(f"the curated files do not load, fix them first:\n{exc}") from exc
    if len(kbs) == 1:
        return kbs[0]
    merged = {name: i for kb in kbs for name, i in kb.intents.items()}
    responses = {name: r for kb in kbs for name, r in kb.responses.items()}
    return KnowledgeBase(intents=merged, responses=responses)


def compile_seeds(
    seeds: Sequence[str | Path],
    out: str | Path,
    curated_dirs: Sequence[str | Path] | None = None,
    force: bool = False,
) -> CompileResult:
    """Compile ``seeds`` into YAML files in ``out``.

    Args:
        seeds: Seed documents (Markdown or plain-text articles).
        out: Output directory for the generated files.
        curated_dirs: Hand-maintained YAML to merge with (default: ``<out>/../curated``).
        force: Overwrite files in ``out`` that the compiler did not write.

    Returns:
        What was written.

    Raises:
        CompileError: A seed cannot be read, a curated file does not load, or a file
            would be overwritten.
    """
    if not seeds:
        raise CompileError("no seed documents given")
    out_dir = Path(out)
    dirs = [Path(d) for d in curated_dirs] if curated_dirs is not None else (
        default_curated_dirs(out_dir))
    if any(d.resolve() == out_dir.resolve() for d in dirs):
        raise CompileError("the curated folder cannot be the output folder")
    curated = load_curated(dirs)
    compiled = []
    stems: set[str] = set()
    for seed in seeds:
        try:
            document = read_document(seed)
        except DocumentError as exc:
            raise CompileError(str(exc)) from exc
        stem = _unique_stem(Path(seed).stem, stems)
        compiled.append(_compile_document(document, stem))
    _resolve_conflicts(compiled)
    files, intents, examples, skipped = _render(compiled, curated)
    try:
        written, removed = write_files(out_dir, files, force=force)
    except OverwriteError as exc:
        raise CompileError(str(exc)) from exc
    except OSError as exc:
        raise CompileError(f"cannot write to {out_dir}: {exc.strerror or exc}") from exc
    return CompileResult(tuple(written), tuple(removed), intents, examples, tuple(skipped))


def _unique_stem(stem: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_\-]", "_", stem) or "seed"
    candidate, n = base, 1
    while candidate in taken or candidate == SHARED_STEM:
        n += 1
        candidate = f"{base}_{n}"
    taken.add(candidate)
    return candidate


def _compile_document(document: Document, stem: str) -> _Compiled:
    subject = document_subject(document)
    entries = extract_entries(document)
    idf = tx.idf_table([f"{e.cue} {e.body}" for e in entries])
    cue_words = {e.intent: _word_forms(tx.content_words(e.cue, tx.QUESTION_WORDS))
                 for e in entries}
    examples = {}
    for entry in entries:
        others = frozenset().union(*(w for k, w in cue_words.items() if k != entry.intent))
        examples[entry.intent] = generate_examples(entry, subject, idf=idf, avoid=others)
    return _Compiled(document, stem, subject, entries, examples)


def _word_forms(words: list[str]) -> frozenset[str]:
    """Return ``words`` with their singular and plural forms (``model``, ``models``)."""
    forms = set()
    for word in words:
        stem = word[:-1] if word.endswith("s") and len(word) > 3 else word
        forms.update({word, stem, f"{stem}s"})
    return frozenset(forms)


def _resolve_conflicts(compiled: list[_Compiled]) -> None:
    """Give a phrasing generated for several intents to the one it names, or to none."""
    owners: dict[str, list[tuple[_Compiled, Entry]]] = {}
    seen_intents: set[str] = set()
    for unit in compiled:
        for entry in unit.entries:
            if entry.intent in seen_intents:
                raise CompileError(f"intent {entry.intent} is generated by two documents; "
                                   "give one of the headings an explicit key {{#key}}")
            seen_intents.add(entry.intent)
            for example in unit.examples[entry.intent]:
                owners.setdefault(tx.match_key(example), []).append((unit, entry, example))
    for key, claims in owners.items():
        if len(claims) < 2:
            continue
        keepers = [(u, e, x) for u, e, x in claims if any(
            re.search(rf"\b{re.escape(p)}\b", x) for p in primary_phrases(e, u.subject))]
        keep = keepers[0] if len(keepers) == 1 else None
        for unit, entry, example in claims:
            if keep is None or entry is not keep[1]:
                unit.examples[entry.intent].remove(example)
        logger.debug("example %r claimed by %d intents; kept by %s", key, len(claims),
                     keep[1].intent if keep else "none")


def _metadata(entry: Entry, curated: KnowledgeBase | None) -> dict[str, object]:
    meta: dict[str, object] = {"title": entry.title, "topic": entry.topic}
    if entry.related:
        meta["related"] = list(entry.related)
    if curated is not None and entry.intent in curated.intents:
        for key in curated.intents[entry.intent].metadata:
            meta.pop(key, None)
    return meta


def _render(compiled: list[_Compiled], curated: KnowledgeBase | None) -> tuple[
        dict[str, str], int, int, list[str]]:
    taken = {tx.match_key(ex.text) for i in curated.intents.values() for ex in i.examples} if (
        curated) else set()
    curated_responses = set(curated.responses) if curated else set()
    files: dict[str, str] = {}
    skipped: list[str] = []
    n_intents = n_examples = 0
    for unit in compiled:
        origin = f"{Path(unit.document.path).name} ({_digest(unit.document)})"
        specs, responses = [], []
        for entry in unit.entries:
            examples = tuple(e for e in unit.examples[entry.intent]
                             if tx.match_key(e) not in taken)
            specs.append(IntentSpec(entry.intent, examples, _metadata(entry, curated)))
            n_intents += bool(examples)
            n_examples += len(examples)
            if entry.response in curated_responses:
                skipped.append(entry.response)
            else:
                responses.append(ResponseSpec(entry.response, entry.answer))
        short = (tx.words(unit.subject) or [""])[0]
        known = {tx.fold(t) for syn in (curated.synonyms if curated else ()) for t in syn.examples}
        aliases = [a for a in subject_aliases(unit.document, unit.subject) if a not in known]
        synonyms = {short: aliases} if short and aliases else {}
        files[f"{unit.stem}.nlu.yml"] = render_nlu(specs, origin, synonyms)
        files[f"{unit.stem}.responses.yml"] = render_responses(responses, origin)
    shared_intents, shared_responses = _shared(compiled, taken)
    n_intents += len(shared_intents)
    n_examples += sum(len(s.examples) for s in shared_intents)
    kept = []
    for response in shared_responses:
        if response.name in curated_responses:
            skipped.append(response.name)
        else:
            kept.append(response)
    origin = "all seeds: " + ", ".join(Path(u.document.path).name for u in compiled)
    files[f"{SHARED_STEM}.nlu.yml"] = render_nlu(shared_intents, origin)
    files[f"{SHARED_STEM}.responses.yml"] = render_responses(kept, origin)
    return files, n_intents, n_examples, skipped


def _digest(document: Document) -> str:
    data = Path(document.path).read_bytes()
    return "sha256 " + hashlib.sha256(data).hexdigest()[:12]


def _shared(compiled: list[_Compiled], taken: set[str]) -> tuple[
        list[IntentSpec], list[ResponseSpec]]:
    """Return the ``source`` and ``help`` intents and the help, source, fallback answers."""
    subjects = _join([u.subject for u in compiled if u.subject] or ["this topic"])
    sources = [_source_sentence(u.document) for u in compiled if u.document.source]
    source_names = sorted({tx.clean(u.document.source) for u in compiled if u.document.source})
    intents: list[IntentSpec] = []
    responses: list[ResponseSpec] = []
    if sources:
        examples = list(SOURCE_EXAMPLES)
        for name in source_names:
            examples += [name, f"is this from {name}", f"{name} article"]
        kept_examples = tuple(e for e in examples if tx.match_key(e) not in taken)
        intents.append(IntentSpec("source", kept_examples, {"title": "Source", "topic": "source"}))
        responses.append(ResponseSpec("utter_source", " ".join(sources)))
    samples = _sample_questions(compiled)
    help_text = f"I answer questions about {subjects}."
    if sources:
        help_text += f" My answers come from {_join(_source_names(compiled))}'s reporting."
    if samples:
        help_text += " You can ask, for example:\n" + "\n".join(f"- {q}" for q in samples)
    intents.append(IntentSpec("help", tuple(e for e in HELP_EXAMPLES
                                                    if tx.match_key(e) not in taken),
                              {"title": "Help", "topic": "help"}))
    responses.append(ResponseSpec("utter_help", help_text))
    titles = [e.title.rstrip("?") for u in compiled for e in u.entries
              if not e.context and e.kind != "faq"]
    topics = ", ".join(titles[:5])
    responses.append(ResponseSpec(
        "utter_default",
        f"Sorry, I can't answer that from what I know. I only answer questions about "
        f"{subjects} (for example: {topics}). Type help to see example questions.",
    ))
    return intents, responses


def _source_names(compiled: list[_Compiled]) -> list[str]:
    names: list[str] = []
    for unit in compiled:
        if unit.document.source and unit.document.source not in names:
            names.append(unit.document.source)
    return names


def _source_sentence(document: Document) -> str:
    quoted = tx.quoted_phrases(document.source_line or "")
    article = quoted[0] if quoted else document.title
    return f'My answers are based on reporting by {document.source}: "{article}".'


def _sample_questions(compiled: list[_Compiled], limit: int = 6) -> list[str]:
    questions = []
    for unit in compiled:
        for entry in unit.entries:
            for example in unit.examples[entry.intent]:
                if re.match(r"^(what|who|how|which|why|when|where|is|are|does|did)\b",
                            example) and len(example.split()) <= 9:
                    questions.append(example)
                    break
    step = max(1, len(questions) // limit)
    return questions[::step][:limit]


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]



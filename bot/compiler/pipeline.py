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
from bot.compiler.entries import Entry, build_entries
from bot.compiler.language import english_share
from bot.compiler.segment import Subject, find_subject
from bot.compiler.selftest import SelfTestReport, drop_collisions, run_self_test
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
# Only phrasings with a word about sources: "who wrote this" or "where is this from" would
# capture real questions ("who is the director", "where is the museum"), and none with a
# word of the subject's facts ("based on" would pull "where is it based" to the source).
SOURCE_EXAMPLES = (
    "source", "sources", "what is your source", "where does this information come from",
    "where do you get your information", "what are your sources", "citation",
    "what is the source of this", "which article is this from", "reference",
    "where do your answers come from", "who wrote the article", "who is the author of the article",
    "which publication is this from", "who reported this story", "what outlet reported this",
)
MIN_ENGLISH_SHARE = 0.12
HELP_EXAMPLES = (
    "help", "what can you do", "what can i ask", "what do you know", "menu", "options",
    "what subjects can you help with", "how does this work", "what questions can you answer",
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
        self_test: What the compile-time self-test found (None when not run).
        warnings: Things the user should know (no FAQ section, not English...).
    """

    written: tuple[Path, ...]
    removed: tuple[Path, ...]
    intents: int
    examples: int
    skipped_responses: tuple[str, ...]
    self_test: SelfTestReport | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Compiled:
    document: Document
    stem: str
    subject: Subject
    entries: list[Entry]


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
    self_test: bool = True,
    write: bool = True,
) -> CompileResult:
    """Compile ``seeds`` into YAML files in ``out``.

    Nothing is written unless every seed compiles.

    Args:
        seeds: Seed documents (Markdown or plain-text articles).
        out: Output directory for the generated files.
        curated_dirs: Hand-maintained YAML to merge with (default: ``<out>/../curated``).
        force: Overwrite files in ``out`` that the compiler did not write.
        self_test: Route every generated question through the engine, drop the examples
            that land on another intent, and report the rest.
        write: Write the files (False: compile and self-test only, ``--check``).

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
    warnings: list[str] = []
    stems: set[str] = set()
    for seed in seeds:
        try:
            document = read_document(seed)
        except DocumentError as exc:
            raise CompileError(str(exc)) from exc
        stem = _unique_stem(Path(seed).stem, stems)
        unit = _compile_document(document, stem)
        if not unit.entries:
            raise CompileError(f"{seed}: no facts or questions found to compile")
        warnings += _warnings(document, seed)
        compiled.append(unit)
    _resolve_conflicts(compiled)
    files, intents, examples, skipped = _render(compiled, curated)
    report = None
    if self_test:
        generated = {e.intent: e.examples for u in compiled for e in u.entries}
        report = run_self_test(files, dirs if curated else [], generated)
        if drop_collisions(generated, report):
            files, intents, examples, skipped = _render(compiled, curated)
    if not write:
        return CompileResult((), (), intents, examples, tuple(skipped), report, tuple(warnings))
    try:
        written, removed = write_files(out_dir, files, force=force)
    except OverwriteError as exc:
        raise CompileError(str(exc)) from exc
    except OSError as exc:
        raise CompileError(f"cannot write to {out_dir}: {exc.strerror or exc}") from exc
    return CompileResult(tuple(written), tuple(removed), intents, examples, tuple(skipped),
                         report, tuple(warnings))


def _warnings(document: Document, seed: str | Path) -> list[str]:
    out = []
    name = Path(seed).name
    if not document.faq:
        out.append(f"{name}: no FAQ section found; compiled the facts only")
    text = " ".join(p for s in document.sections for p in s.paragraphs)
    if english_share(text) < MIN_ENGLISH_SHARE:
        out.append(f"{name}: does not read as English; the generated questions are English, "
                   "so expect few of them to match (best effort)")
    return out


def _unique_stem(stem: str, taken: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9_\-]", "_", stem) or "seed"
    candidate, n = base, 1
    while candidate in taken or candidate == SHARED_STEM:
        n += 1
        candidate = f"{base}_{n}"
    taken.add(candidate)
    return candidate


def _compile_document(document: Document, stem: str) -> _Compiled:
    subject = find_subject(document)
    return _Compiled(document, stem, subject, build_entries(document, subject))


def _resolve_conflicts(compiled: list[_Compiled]) -> None:
    """Give an example generated for several intents to one of them, or to none.

    It stays with the entry whose own wording it is (an FAQ question), else with the one
    entry defining the name it asks about ("what is corran bank"), else with the one fact
    among FAQ answers that generate it; otherwise it tells none apart and is dropped.

    Raises:
        CompileError: Two documents generate the same intent name.
    """
    owners: dict[str, list[Entry]] = {}
    seen_intents: set[str] = set()
    for unit in compiled:
        for entry in unit.entries:
            if entry.intent in seen_intents:
                raise CompileError(f"intent {entry.intent} is generated by two documents; "
                                   "give one of the headings an explicit key {{#key}}")
            seen_intents.add(entry.intent)
            for example in entry.examples:
                owners.setdefault(tx.match_key(example), []).append(entry)
    for key, claims in owners.items():
        if len({id(e) for e in claims}) < 2:
            continue
        claims = list({id(e): e for e in claims}.values())
        own = [e for e in claims if any(tx.match_key(x) == key for x in e.primary)]
        facts = [e for e in claims if e.kind != "faq"]
        definers = [e for e in claims if any(tx.match_key(x) == key for x in e.defining)]
        if len(own) == 1:  # an FAQ question's own wording stays with it
            claims = [e for e in claims if e is not own[0]]
        elif not own and len(definers) == 1:  # "what is x" with the sentence defining x
            claims = [e for e in claims if e is not definers[0]]
        elif not own and len(facts) == 1:  # else a fact wins over an FAQ answer's
            claims = [e for e in claims if e is not facts[0]]
        for entry in claims:
            entry.examples = [x for x in entry.examples if tx.match_key(x) != key] or (
                entry.examples)
        logger.debug("example %r claimed by %d intents; dropped", key, len(claims))


def _metadata(entry: Entry, curated: KnowledgeBase | None) -> dict[str, object]:
    meta: dict[str, object] = {"title": entry.title}
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
            phrased = curated is not None and bool(
                curated.intents.get(entry.intent) and curated.intents[entry.intent].examples)
            examples = tuple(e for e in entry.examples if tx.match_key(e) not in taken
                             and not (phrased and e in entry.generic))
            specs.append(IntentSpec(entry.intent, examples, _metadata(entry, curated)))
            n_intents += bool(examples)
            n_examples += len(examples)
            if entry.response in curated_responses:
                skipped.append(entry.response)
            else:
                responses.append(ResponseSpec(entry.response, entry.answer))
        short = unit.subject.short
        known = {tx.fold(t) for syn in (curated.synonyms if curated else ()) for t in syn.examples}
        aliases = [a for a in unit.subject.aliases if a not in known]
        synonyms = {short: aliases} if short and aliases else {}
        files[f"{unit.stem}.nlu.yml"] = render_nlu(specs, origin, synonyms)
        files[f"{unit.stem}.responses.yml"] = render_responses(responses, origin)
    generated = {tx.match_key(x) for u in compiled for e in u.entries for x in e.examples}
    shared_intents, shared_responses = _shared(compiled, taken | generated)
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
    subjects = _join([u.subject.name for u in compiled if u.subject.name] or ["this topic"])
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
    titles = [e.title.rstrip("?") for u in compiled for e in u.entries if e.kind != "faq"]
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
            for example in entry.examples:
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



"""Rank a knowledge base's intents for a message.

How it works (see the README section "How matching works, and the benchmarks" for the figures):

1. Every example is normalised (:mod:`bot.nlu.normalize`) and turned into TF-IDF
   features: word stems, stem pairs and character n-grams (:mod:`bot.nlu.features`).
2. A linear model, one weight vector per intent, is fitted to the examples at build
   time (:mod:`bot.nlu.linear`). Its scores go through a softmax.
3. At query time, words the knowledge base has never seen are read through the
   paraphrase lexicon (:mod:`bot.nlu.paraphrase`: "turnover" as "revenue"), else
   spelling-corrected (:mod:`bot.nlu.spelling`: to a known word, or to the English word
   a typo stands for, or chat shorthand), so typos match. An English word the knowledge
   base does not use is read as a known word of its family, trusted less ("foundational"
   as "foundation").
4. The confidence of an intent is its softmax probability times the share of the
   message's information (IDF weight) that the intent covers: its examples fully, its
   answer's words (responses, title) at ``answer_weight``. An unknown word weighs by its
   rarity in English: "located" costs little, "xai" a lot. A specific word the intent
   does not cover (a name, a word of another intent: "openai" in "how much did openai
   raise") lowers the confidence further, and so does an answer of the wrong kind
   ("when ..." against an answer with no date, :mod:`bot.nlu.kinds`).

The built index is cached on disk (:mod:`bot.nlu.cache`), keyed by the knowledge base's
content, so restarting on an unchanged knowledge base skips the fitting.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.kb.model import KnowledgeBase
from bot.nlu import cache
from bot.nlu.english import adverb_only, frequencies, rarity
from bot.nlu.features import FeatureSpace
from bot.nlu.kinds import (
    AGE,
    AMOUNT,
    DURATION,
    LITERAL_KINDS,
    MONEY,
    PEOPLE,
    PERSON,
    PLACE,
    TIME,
    TYPE_NOUNS,
    WEIGHT,
    answer_kinds,
    asked_head,
    asked_noun,
    asked_object,
    count_noun,
    counted_words,
    counts_people,
    example_counts,
    example_kinds,
    example_nouns,
    gives_noun,
    question_kind,
    second_question,
    set_aside,
)
from bot.nlu.lexicon import FUNCTION_WORDS, QUESTION_WORDS
from bot.nlu.linear import fit_hinge
from bot.nlu.normalize import apply_synonyms, stem, synonym_map, tokenize, word_root
from bot.nlu.paraphrase import count_phrases, load_lexicon
from bot.nlu.parse import Correction, IntentScore, Utterance
from bot.nlu.spelling import KB, SpellingCorrector
from bot.nlu.subjects import comparison_names, question_subject

logger = logging.getLogger(__name__)

MATCHER_VERSION = "linear-hinge-4"
KINDS = (PERSON, TIME, PLACE, AMOUNT, MONEY, AGE, DURATION, WEIGHT)
NOUNS = tuple(sorted(TYPE_NOUNS))
_CODE_FILES = (
    "normalize.py", "features.py", "linear.py", "matcher.py", "lexicon.py", "english.py",
    "kinds.py", "paraphrase.py", "paraphrases.yml", "subjects.py", "spelling.py",
    "shorthand.yml",
)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Return a hash of the matcher's own source, so a code change misses the cache."""
    folder = Path(__file__).parent
    parts = []
    for name in _CODE_FILES:
        try:
            parts.append((folder / name).read_bytes())
        except OSError:
            parts.append(name.encode())
    return cache.content_key([p.hex() for p in parts])


_SUBJECT_PRONOUNS = frozenset({"they", "their", "them", "theirs"})


@dataclass(frozen=True)
class MatcherSettings:
    """Knobs of the matcher; the defaults are tuned on CLINC150 train/val.

    Attributes:
        block_weights: Weight of the word, stem-pair and character
            blocks.
        epochs_budget: Epochs are about this many example visits divided by the number of
            examples (clipped to ``min_epochs``..``max_epochs``).
        min_epochs: Fewest epochs.
        max_epochs: Most epochs.
        learning_rate: Step size of the linear model.
        l2: Weight of the linear model's L2 term against the sum of its examples' hinge
            losses (:func:`bot.nlu.linear.fit_hinge`).
        temperature: Softmax sharpness applied to the linear scores.
        null_score: Score of an implicit "none of these" intent in the softmax: an intent
            needs a linear score well above it to get a high probability. Scores are
            relative: 1.0 is the median score of a training example for its own intent.
        kb_coverage_power: Exponent of the share of the message's information that the
            knowledge base knows at all (unknown words weigh heavily).
        intent_coverage_power: Exponent of the share that the intent's own examples use.
        max_typo_distance: Most edits (OSA distance: a swap of two letters is one edit)
            allowed when correcting an unknown word of 7 letters or more; shorter words
            get one edit.
        typo_kb_share: How much a corrected word counts as known is its probability
            among the words as close to the typed one, under a mixture of the knowledge
            base's word frequencies (this share) and English (:mod:`bot.nlu.spelling`).
        function_weight: Factor on the coverage weight of general function words
            (:data:`bot.nlu.lexicon.FUNCTION_WORDS`).
        content_free_factor: Factor on the confidence of a message with no content word
            (only function and question words: "why?"), except for intents that have
            that very message as an example.
        no_evidence_factor: Factor on the confidence of an intent for which no content
            word of the message speaks (:meth:`LinearMatcher._without_evidence`: "mistral
            in one sentence", where every intent is about Mistral).
        rival_word_weight: How much a key word of another intent weighs against an intent
            that never uses it. A word's "key-ness" is the share of its examples that
            belong to its main intent times ``(c - 1) / (c - 1 + rival_word_prior)``, ``c``
            being how many examples of that intent use it; the intents that do not use
            the word get that share of its weight added to the coverage's denominator.
            "openai" (15 of its 16 examples in one intent) counts against the funding
            answer in "how much did openai raise"; a word that two intents use once each
            ("important") is only a rare word.
        rival_word_prior: See ``rival_word_weight``.
        share_candidates: How many top intents may share their confidence when the message
            is part of an example of each and tells them apart in no way (0: never).
        share_floor: A candidate shares only if its confidence is at least this share of
            the top one's: an intent the fit all but rules out is no real alternative.
        short_word_length: Words of at most this many letters are corrected only to a
            function or question word ("teh" -> "the"): a short content word has too many
            neighbours one edit away ("cfo" is not "ceo").
        answer_weight: How much a message word that an intent's answer (its responses and
            title) uses, but none of its examples, counts as covered by that intent: the
            answer is evidence too, weaker than a phrasing people were seen to type.
        answer_score_weight: How much the words an intent's answer alone uses add to its
            linear score, before the softmax: the share of the message's IDF weight that
            they carry, times the share the knowledge base knows, times this. The linear
            model is fitted to the examples only; a compiled article's examples miss many
            words its answers hold ("what software runs the farm" against the answer
            naming the farm's software).
        rarity_power: How an unknown word's weight falls with its commonness in English
            (:func:`bot.nlu.english.rarity`; 0: every unknown word weighs fully). A common
            word ("located", "sits") costs little; a name or a rare term ("xai", "cfo") costs
            as much as a known key word.
        name_weight: Factor on the weight of an unknown word that is no English word at all
            (a name, an acronym: "xai", "anthropic"); 1.0: a name weighs as much as the
            rarest English word. More would count a name twice: that such a word names what
            the question is about, which the knowledge base does not cover, is what
            ``uncovered_factor`` (through ``name_specificity``) already charges, less for an
            intent whose examples keep naming new things (a city in "weather in boston").
            At 2.0, CLINC150 val lost in-scope answers that name a place or a product
            (92.47 % right at 65 % out-of-scope recall, 92.80 % at 1.0) with no change on the
            shipped knowledge base.
        kind_mismatch_factor: Factor on the confidence of an intent that cannot give the
            kind of answer the question asks for (:mod:`bot.nlu.kinds`: "in which year"
            against an answer with no date; "who" against one with no person).
        uncovered_factor: Factor on an intent's confidence for each specific word of the
            message it does not cover, raised to how specific the word is: a rare word or
            name the knowledge base never uses ("google" in "who is the ceo of google"),
            or a key word of another intent ("openai" in "how much did openai raise").
            Such a word is what the question is about, so a near miss is not answered.
        paraphrase_trust: How much a word read through the paraphrase lexicon
            (:mod:`bot.nlu.paraphrase`: "turnover" as "revenue") counts as the word it
            stands for.
        weak_paraphrase_trust: The same for a word of a looser (``weak``) group.
        rival_specificity: How specific a word of another intent counts, for
            ``uncovered_factor``: how much the word belongs to one intent (its share of the
            word's examples times ``c / (c + own_word_prior)``) times this.
        own_word_prior: See ``rival_specificity``.
        new_word_rarity: An unknown word at least this rare (:func:`rarity`) is a name or
            term the knowledge base does not cover (:meth:`LinearMatcher.new_words`):
            "google" (0.71) is, "infrastructure" (0.67) is not.
        foreign_word_share: A known word belongs to another intent, for
            :meth:`LinearMatcher.foreign_words`, when its "own" share (see
            ``rival_specificity``) is at least this.
        name_specificity: How specific an unknown rare word counts (0 below a weight of
            0.5, 1 for a name), for ``uncovered_factor``; softened per intent by how often
            its examples name something new (see ``_novel_name_odds``).
        kind_example_share: An intent with an answer in words gives a kind of answer its
            text does not show ("who" against an answer naming nobody) only when at least
            this share of its examples, and two, ask for it.
        common_word_spread: A word that at least this share of the intents' examples use
            (the knowledge base's own subject) speaks for no intent in particular.
        key_word_share: A word is a key word of an intent (:meth:`LinearMatcher.key_words`)
            when its own share (see ``rival_specificity``) is at least this.
        family_trust: How much an unknown English word counts as the knowledge base's word
            of its family ("foundational" as "foundation": :func:`bot.nlu.normalize.word_root`);
            0 turns the family reading off.
    """

    block_weights: tuple[float, ...] = (1.0, 1.0, 1.0)
    epochs_budget: int = 300_000
    min_epochs: int = 6
    max_epochs: int = 60
    learning_rate: float = 0.06
    l2: float = 0.3
    temperature: float = 12.0
    null_score: float = 0.2
    kb_coverage_power: float = 0.0
    intent_coverage_power: float = 1.5
    max_typo_distance: int = 2
    typo_kb_share: float = 0.5
    function_weight: float = 0.25
    content_free_factor: float = 0.5
    no_evidence_factor: float = 0.7
    rival_word_weight: float = 0.5
    rival_word_prior: float = 6.0
    short_word_length: int = 3
    share_candidates: int = 2
    share_floor: float = 0.1
    answer_weight: float = 0.5
    answer_score_weight: float = 0.6
    rarity_power: float = 3.0
    name_weight: float = 1.0
    kind_mismatch_factor: float = 0.3
    uncovered_factor: float = 0.4
    paraphrase_trust: float = 0.85
    weak_paraphrase_trust: float = 0.6
    rival_specificity: float = 0.5
    own_word_prior: float = 2.0
    new_word_rarity: float = 0.7
    foreign_word_share: float = 0.3
    name_specificity: float = 1.0
    kind_example_share: float = 0.1
    common_word_spread: float = 0.3
    key_word_share: float = 0.5
    family_trust: float = 0.6

    def epochs_for(self, n_examples: int) -> int:
        """Return the number of epochs for a training set of ``n_examples``."""
        wanted = math.ceil(self.epochs_budget / max(1, n_examples))
        return max(self.min_epochs, min(self.max_epochs, wanted))


class LinearMatcher:
    """Linear intent model with typo correction and coverage-aware confidence.

    Build it with :func:`build_matcher`; the arrays it holds are what gets cached.
    """

    def __init__(
        self,
        arrays: dict[str, np.ndarray],
        synonyms: dict[str, str],
        settings: MatcherSettings,
    ) -> None:
        self._settings = settings
        self._synonyms = synonyms
        self.intents = [str(name) for name in arrays["intents"]]
        terms = [str(t) for t in arrays["terms"]]
        self._space = FeatureSpace(
            {t: i for i, t in enumerate(terms)}, arrays["idf"], settings.block_weights
        )
        self._weights = arrays["weights"]
        self._words = [str(w) for w in arrays["words"]]
        self._word_counts = dict(zip(self._words, arrays["word_counts"].tolist(), strict=True))
        self._known_words = set(self._words)
        self._stem_counts: Counter[str] = Counter()
        for known, count in self._word_counts.items():
            self._stem_counts[stem(known)] += count
        stems = [str(s) for s in arrays["stems"]]
        self._stem_index = {s: i for i, s in enumerate(stems)}
        self._stem_idf = arrays["stem_idf"]
        self._unknown_idf = float(arrays["unknown_idf"])
        self._stem_intents = arrays["stem_intents"]
        self._stem_answers = arrays["stem_answers"]
        self._answer_only = self._stem_answers * (1.0 - self._stem_intents)
        self._stem_key = arrays["stem_key"]
        self._stem_own = arrays["stem_own"]
        self._novel_names = arrays["novel_names"]
        self._entity_words = frozenset(str(w) for w in arrays["entity_words"])
        self._kind_capable = {
            kind: arrays["kind_capable"][row] for row, kind in enumerate(KINDS)
        }
        self._noun_capable = {
            noun: arrays["noun_capable"][row] for row, noun in enumerate(NOUNS)
        }
        self._counted: dict[str, list[int]] = {}
        for word, label in zip(arrays["counted_words"].tolist(),
                               arrays["counted_labels"].tolist(), strict=True):
            self._counted.setdefault(str(word), []).append(int(label))
        self._slots = [str(s) for s in arrays["slot_tokens"]]
        self._compared: dict[str, list[int]] = {}
        for word, label in zip(arrays["compared_words"].tolist(),
                               arrays["compared_labels"].tolist(), strict=True):
            self._compared.setdefault(str(word), []).append(int(label))
        # how often the examples (and, with none of them, the answers) use each lexicon
        # phrase: "team up with" becomes "partner with" when an example says that
        self._phrase_counts = _phrase_dict(arrays["phrases"], arrays["phrase_counts"])
        self._answer_phrase_counts = _phrase_dict(arrays["answer_phrases"],
                                                  arrays["answer_phrase_counts"])
        self._number_forms: dict[str, str] | None = None
        self._families: dict[str, str] | None = None
        self._example_stems: dict[int, list[frozenset[str]]] = {}
        for text, label in zip(arrays["example_texts"].tolist(),
                               arrays["example_labels"].tolist(), strict=True):
            self._example_stems.setdefault(int(label), []).append(frozenset(str(text).split()))
        self._examples_by_stems: dict[frozenset[str], set[int]] = {}
        for label, examples in self._example_stems.items():
            for example in examples:
                self._examples_by_stems.setdefault(example, set()).add(label)
        # the share of intents whose examples use each stem
        self._spread = (self._stem_intents > 0).mean(axis=1) if len(self.intents) else (
            np.zeros(len(stems)))
        # a word one intent alone uses is no word "most intents use", however few they are
        self._spread[(self._stem_intents > 0).sum(axis=1) < 2] = 0.0
        # whether each intent's examples name the subject (a word most intents use)
        subject = {s for s, row in self._stem_index.items()
                   if self._spread[row] >= settings.common_word_spread
                   and s not in FUNCTION_WORDS and s not in QUESTION_WORDS}
        self._names_subject = [
            any(example & subject for example in self._example_stems.get(label, ()))
            for label in range(len(self.intents))]
        # rank, new_words and covers of one message read it once
        self._understood = lru_cache(maxsize=256)(self._read)
        self._lexicon = load_lexicon()
        self._synonym_use = self._synonym_uses()
        self._speller = SpellingCorrector(
            self._word_counts,
            protected={*self._entity_words, *self._slots,
                       *(w for phrase in synonyms for w in phrase.split()),
                       *(w for g in self._lexicon.groups for m in g.members for w in m)},
            kb_stems=self._stem_index, max_distance=settings.max_typo_distance,
            answer_stems={s for s, row in self._stem_index.items()
                          if not self._stem_intents[row].any()},
            kb_share=settings.typo_kb_share, short_word_length=settings.short_word_length,
        )

    def arrays(self) -> dict[str, np.ndarray]:
        """Return the arrays that fully describe this matcher (for the cache)."""
        terms = sorted(self._space.vocab, key=self._space.vocab.__getitem__)
        stems = sorted(self._stem_index, key=self._stem_index.__getitem__)
        return {
            "intents": np.array(self.intents, dtype=np.str_),
            "terms": np.array(terms, dtype=np.str_),
            "idf": self._space.idf,
            "weights": self._weights,
            "words": np.array(self._words, dtype=np.str_),
            "word_counts": np.array([self._word_counts[w] for w in self._words]),
            "stems": np.array(stems, dtype=np.str_),
            "stem_idf": self._stem_idf,
            "unknown_idf": np.array(self._unknown_idf),
            "stem_intents": self._stem_intents,
            "stem_answers": self._stem_answers,
            "stem_key": self._stem_key,
            "stem_own": self._stem_own,
            "novel_names": self._novel_names,
            "entity_words": np.array(sorted(self._entity_words), dtype=np.str_),
            "kind_capable": np.array([self._kind_capable[k] for k in KINDS]),
            "noun_capable": np.array([self._noun_capable[n] for n in NOUNS]),
            "slot_tokens": np.array(self._slots, dtype=np.str_),
            **_compared_arrays(self._compared),
            **_counted_arrays(self._counted),
            **_phrase_arrays("phrases", self._phrase_counts),
            **_phrase_arrays("answer_phrases", self._answer_phrase_counts),
            "example_texts": np.array(
                [" ".join(sorted(e)) for lab in sorted(self._example_stems)
                 for e in self._example_stems[lab]], dtype=np.str_),
            "example_labels": np.array(
                [lab for lab in sorted(self._example_stems) for _ in self._example_stems[lab]],
                dtype=np.int64),
        }

    def _share_unresolved(self, tokens: list[str], confidence: np.ndarray) -> np.ndarray:
        """Share the confidence of intents that the message cannot tell apart.

        When the message's words are all part of one example of the top intent and of
        one example of the runner-up ("how much money": "how much money did it raise",
        "how much money does it make"), and the message is no example itself, nothing in it
        favours one: those candidates get their mean confidence, so a did-you-mean is
        offered however the fit happened to split them. A message that is an example of
        several intents ("rocket prices" of the small and the big rocket's price) is shared
        among all of them.
        """
        words = frozenset(stem(t) for t in tokens)
        exact = list(self._examples_by_stems.get(words, ()))
        if len(exact) > 1:
            # the message is an example of several intents: nothing can tell them apart
            shared = confidence.copy()
            shared[exact] = confidence[exact].mean()
            return shared
        order = np.argsort(-confidence, kind="stable")[: self._settings.share_candidates]
        contained = [
            int(i) for i in order
            if confidence[i] >= self._settings.share_floor * confidence[order[0]]
            and any(words <= e for e in self._example_stems.get(int(i), ()))
        ]
        if len(contained) < 2 or contained[0] != int(order[0]):
            return confidence
        if any(words == e for i in contained for e in self._example_stems[i]):
            return confidence
        shared = confidence.copy()
        shared[contained] = confidence[contained].mean()
        return shared

    def _spell(self, token: str) -> tuple[list[tuple[str, float]], Correction | None]:
        """Return the words ``token`` stands for, their trust, and the correction made.

        An unknown number is read as a known one of its form; a word corrected to English
        (or shorthand) the knowledge base does not use is read through the paraphrase
        lexicon too ("turnovr" -> "turnover" -> "revenue"). See :mod:`bot.nlu.spelling`.
        """
        if not token.isalpha() and token not in self._known_words:
            number = self._number_like(token)
            if number != token:
                return [(number, 1.0)], None
        correction = self._speller.correct(token)
        if correction is None:
            relative = self._relative(token)
            if relative is not None:
                return [(relative, self._settings.family_trust)], None
            return [(token, 1.0)], None
        meant = list(correction.meant)
        if correction.source != KB and not any(w in self._known_words for w in meant):
            rewrite = self._lexicon.rewrite(meant, self._uses, self._answer_uses)
            if any(rewrite.from_lexicon):
                trust = (self._settings.weak_paraphrase_trust if any(rewrite.weak)
                         else self._settings.paraphrase_trust)
                return [(w, trust * correction.trust) for w in rewrite.tokens], correction
        return [(w, correction.trust) for w in meant], correction

    def _relative(self, word: str) -> str | None:
        """Return the knowledge base's word of ``word``'s family, if it is unknown.

        "foundational" is read as the "foundation" the examples use, "sovereignty" as
        "sovereign" (:func:`bot.nlu.normalize.word_root`); the most used such word wins.
        A word far more common in English than that relative keeps its own sense
        ("public" is not read as "publication").
        """
        if (self._settings.family_trust <= 0 or word in self._known_words
                or self.mentions(word)):
            return None  # known, or a form the stems already match ("consumers")
        root = word_root(word)
        if root is None:
            return None
        if self._families is None:
            self._families = _most_used_by(self._words, word_root)
        relative = self._families.get(root)
        power = self._settings.rarity_power
        if relative is not None and rarity(word, power) < rarity(relative, power) - 0.2:
            return None  # a common word has its own sense: "public" is no "publication"
        return relative

    def _number_like(self, word: str) -> str:
        """Return the most frequent known number of the same form as ``word`` ("42" -> "10").

        A number the examples never use says as much as one they do use ("multiply 7 and
        42"), so it is read as the commonest known number written the same way (digits
        counted, letters and signs kept: "15th" has the form of "12th", "$75" of "$50").
        Other tokens are returned unchanged.
        """
        form = number_form(word)
        if form is None or _YEAR.fullmatch(word):
            return word  # a year is no count: "revenue in 2022" is not "in 2023"
        if self._number_forms is None:
            self._number_forms = _most_used_by(self._words, number_form)
        return self._number_forms.get(form, word)

    def understand(self, text: str) -> tuple[list[str], list[float]]:
        """Return the normalised, typo-corrected tokens of ``text`` and their trust.

        Args:
            text: The message.

        Returns:
            Tokens (unknown words replaced by the closest known word, if close enough;
            unknown function words such as "anyway" dropped) and, for each, 1.0, or
            less for a corrected word (see ``typo_kb_share``).
        """
        utterance = self._understood(text)
        return list(utterance.terms), list(utterance.trust)

    def read(self, text: str) -> Utterance:
        """Return ``text`` read once: tokens, corrections and the terms scored (cached)."""
        return self._understood(text)

    def _read(self, text: str) -> Utterance:
        """Normalise, paraphrase and correct ``text`` (cached: see ``_understood``)."""
        normalized = tokenize(text)
        synonymous = apply_synonyms(" ".join(normalized), self._synonyms).split()
        rewrite = self._lexicon.rewrite(synonymous, self._uses, self._answer_uses)
        tokens: list[str] = []
        trust: list[float] = []
        corrections: list[Correction] = []
        for token, paraphrased, weak in zip(
            rewrite.tokens, rewrite.from_lexicon, rewrite.weak or [False] * len(rewrite.tokens),
            strict=True,
        ):
            if paraphrased:
                if token in self._known_words or token not in FUNCTION_WORDS:
                    tokens.append(token)
                    trust.append(self._settings.weak_paraphrase_trust if weak
                                 else self._settings.paraphrase_trust)
                continue
            spelled, correction = self._spell(token)
            if correction is not None:
                corrections.append(correction)
            for word, belief in spelled:
                if word in self._known_words or word not in FUNCTION_WORDS:
                    tokens.append(word)
                    trust.append(belief)
        words = self._speller.read(normalized)[0]
        return Utterance(text, tuple(normalized), tuple(words), tuple(corrections),
                         tuple(tokens), tuple(trust))

    def mentions(self, word: str) -> bool:
        """True when an example or an answer of the knowledge base uses ``word`` (any form)."""
        return self._stem_index.get(stem(word)) is not None

    def new_words(self, text: str, names_only: bool = False) -> list[str]:
        """Return the names and terms of ``text`` that the knowledge base never uses.

        These are the words left unknown once paraphrases and typos are read (see
        :meth:`understand`) that are no common English word and no value of a lookup
        table or synonym: "xai", "anthropic", "7b". A question about one of them is about
        something the knowledge base does not cover, and a follow-up naming one changes
        the subject. With ``names_only``, only words outside the English word list count
        ("xai", not "flowed").
        """
        least = 1.0 if names_only else self._settings.new_word_rarity
        tokens, _ = self.understand(text)
        return [
            t for t in dict.fromkeys(tokens)
            if not self.mentions(t) and t not in self._entity_words
            and t not in FUNCTION_WORDS and t not in QUESTION_WORDS
            and any(c.isalpha() for c in t) and number_form(t) is None  # "20m" is a figure
            and rarity(t, self._settings.rarity_power) >= least
        ]

    def known_names(self, text: str, intent: str) -> list[str]:
        """Return the words of ``text`` that name what ``intent`` is about.

        A known word that is no common English word (the subject's name, a person or a
        product: "mistral", "mensch", "ministraux") that the intent's examples use, or a
        pronoun that stands for the subject ("they", "their") when its examples name the
        knowledge base's subject (a word most intents use). An intent about the bot
        itself ("what can you do") is about neither.
        """
        if intent not in self.intents:
            return []
        column = self.intents.index(intent)
        tokens, _ = self.understand(text)
        names = []
        for token in dict.fromkeys(tokens):
            row = self._stem_index.get(stem(token))
            if (row is not None and self._stem_intents[row, column]
                    and token not in FUNCTION_WORDS and token not in QUESTION_WORDS
                    and any(c.isalpha() for c in token)
                    and rarity(token, self._settings.rarity_power)
                    >= self._settings.new_word_rarity):
                names.append(token)
        if self._names_subject[column]:
            # a pronoun is a function word, which the scored terms leave out: read as typed
            names += [w for w in dict.fromkeys(self.read(text).words)
                      if w in _SUBJECT_PRONOUNS]
        return names

    def key_words(self, text: str, intent: str) -> list[str]:
        """Return the words of ``text`` that are key words of ``intent``.

        A key word is one most of whose examples are ``intent``'s (its own share, see
        ``rival_specificity``, at least ``key_word_share``): "ministraux" for the answer
        about Les Ministraux, "consumer" for the one about consumers.
        """
        if intent not in self.intents:
            return []
        column = self.intents.index(intent)
        tokens, _ = self.understand(text)
        found = []
        for token in dict.fromkeys(tokens):
            row = self._stem_index.get(stem(token))
            if (row is not None and token not in FUNCTION_WORDS and token not in QUESTION_WORDS
                    and self._stem_intents[row, column]
                    and float(self._stem_own[row]) >= self._settings.key_word_share):
                found.append(token)
        return found

    def covers(self, text: str, intent: str) -> bool:
        """Return True when ``intent``'s examples or answer use every content word of ``text``.

        "any debt in that" is covered by an answer that mentions debt; "and google's
        revenue?" is not covered by the revenue answer ("google" is not in it). A type
        noun is covered by an answer giving one ("since what year" by "since 2022").
        """
        if intent not in self.intents:
            return False
        column = self.intents.index(intent)
        tokens, _ = self.understand(text)
        content = [t for t in tokens if t not in FUNCTION_WORDS and t not in QUESTION_WORDS]
        for token in content:
            if token in self._noun_capable and self._noun_capable[token][column]:
                continue
            row = self._stem_index.get(stem(token))
            if row is None or (self._stem_intents[row, column] == 0
                               and self._stem_answers[row, column] == 0):
                return False
        return bool(content)

    def covered_share(self, text: str, intent: str) -> float:
        """Return the share of ``text``'s content that ``intent``'s examples or answer use.

        Each distinct content word weighs its IDF (an unknown word the weight
        :meth:`coverage` gives it, at most the largest IDF and at least that over the number
        of content words; entity values weigh nothing). A word counts as used when it or a
        synonym of it is (:meth:`_uses_in`). "why is the sky blue" shares nothing with an
        answer about the company's impact: 0.0, however the fitted model happens to rank it.
        """
        if intent not in self.intents:
            return 0.0
        column = self.intents.index(intent)
        content = [t for t in dict.fromkeys(self.understand(text)[0])
                   if t not in FUNCTION_WORDS and t not in QUESTION_WORDS]
        total = covered = 0.0
        for token in content:
            row = self._stem_index.get(stem(token))
            if row is None:
                total += self._unknown_content_weight(token, len(content))
                continue
            weight = float(self._stem_idf[row])
            total += weight
            if self._uses_in(column, token):
                covered += weight
        return covered / total if total else 0.0

    def foreign_words(self, text: str, intent: str, asking: bool = False) -> list[str]:
        """Return the words of ``text`` that point away from ``intent``.

        A name or rare term the knowledge base never uses (:meth:`new_words`), or a name or
        rare term that belongs to another intent (most of its examples are that intent's,
        or, for a name no example uses, one or two other answers say it) and that neither
        ``intent``'s examples nor its answer use: "openai" in "who is the ceo of openai"
        points away from the CEO answer, "hamburg" in "how many levels will the hamburg
        farm have" from the answer counting the levels of the farm in Rotterdam. Offering
        ``intent`` as "did you mean" for such a message would mislead. With ``asking``,
        also the noun a "what is X's NOUN" question asks about
        (:func:`bot.nlu.kinds.asked_head`) when ``intent`` never uses it ("revenue" in
        "what is openai's revenue" against an answer that names OpenAI), the subject of the
        question when it is a name other than the knowledge base's own subject ("openai" in
        "what models does openai make"), and a key word of ``intent`` that the question
        sets aside ("mensch" in "who founded it besides mensch", against the answer about
        him: :func:`bot.nlu.kinds.excluded_words`).
        """
        found = list(self.new_words(text))
        if intent not in self.intents:
            return found
        column = self.intents.index(intent)
        tokens, _ = self.understand(text)
        noun = asked_noun(tokens)
        if noun in found and self._noun_capable[noun][column]:
            found.remove(noun)  # "what nationality": the answer gives one
        # the words as typed (every function word kept), not the scored terms
        typed_words = self.read(text).words if asking else ()
        subject = question_subject(tokens)
        if subject is not None and column in self._compared.get(subject, ()):
            found.append(subject)  # the answer names it only to compare
        elif asking:
            typed = question_subject(typed_words)
            if (typed is not None and typed not in found and self._is_other_name(typed)
                    and (not self._uses_in(column, typed)
                         or column in self._compared.get(typed, ()))):
                # "what models does openai make": about someone else, unless the intent
                # is about it ("do growers get a cut" of the growers' pay) and not only
                # compares with it
                found.append(typed)
        for token in dict.fromkeys(tokens):
            row = self._stem_index.get(stem(token))
            if (row is None or token in FUNCTION_WORDS or token in QUESTION_WORDS
                    or number_form(token) is not None):
                continue  # a figure names no topic ("4 billion" read as the known "1")
            used = self._uses_in(column, token)
            # "yearly" is read as the knowledge base's "year": as common as that word
            common = min(rarity(token, self._settings.rarity_power),
                         rarity(stem(token), self._settings.rarity_power))
            # a name only answers use belongs to those answers ("hamburg" of the answer on
            # the farm planned there)
            owned = float(self._stem_own[row]) >= self._settings.foreign_word_share or (
                common >= 1.0 and not self._stem_intents[row].any()
                and self._stem_answers[row].sum() <= 2)
            if not used and owned and common >= self._settings.new_word_rarity:
                found.append(token)
        if asking:
            found += [w for w in self.unanswered(text, intent) if w not in found]
        return found

    def unanswered(self, text: str, intent: str) -> list[str]:
        """Return what ``text`` asks about that ``intent``'s answer does not give.

        A year it does not name ("revenue in 2022" against the answer about 2023), the
        noun a "what is X's NOUN" question asks about when the intent never uses it ("what
        is the interest rate on the loan" against an answer naming only the loan:
        :func:`bot.nlu.kinds.asked_head`), and a name the question sets aside
        (:func:`bot.nlu.kinds.set_aside`): after "besides", a key word of the intent
        ("who founded it besides mensch" against the answer about him); after "before",
        any name the intent uses ("who was ceo before mandić" against any answer naming
        her), but not the subject most intents name ("before bura" asks about a time).
        However well the other words match, such a question is a near miss.
        """
        if intent not in self.intents:
            return []
        column = self.intents.index(intent)
        terms = self.understand(text)[0]  # synonyms and paraphrases read; a year as typed
        found = [w for w in dict.fromkeys(terms)
                 if _YEAR.fullmatch(w) and not self._uses_in(column, w)]
        typed = self.read(text).words  # as typed: "besides" or "did" may be no term
        words, before = set_aside(typed)
        for word in words:
            row = self._stem_index.get(stem(word))
            if row is None or word in found:
                continue
            if before:
                # "who was ceo before mandić" is about someone else, against any answer
                # naming her; "before bura" (the subject most intents name) is a time
                if (self._uses_in(column, word)
                        and self._spread[row] < self._settings.common_word_spread):
                    found.append(word)
            elif (self._stem_intents[row, column]
                  and float(self._stem_own[row]) >= self._settings.key_word_share):
                # "who founded it besides mensch" against the answer about him; an answer
                # naming the founders among other owners still answers "who owns it
                # besides the founders"
                found.append(word)
        head = asked_head(typed)
        if head is not None and head not in terms:
            # read as a synonym or paraphrase ("ceo" as "boss"): the head of what was read
            head = asked_head(terms)
        if (head is not None and head not in found
                and self.mentions(head)
                and not self._uses_in(column, head)):
            found.append(head)
        asked = asked_object(typed)
        if asked is not None and asked not in found and not self._uses_in(column, asked) and (
                asked not in self._entity_words and number_form(asked) is None):
            # "what profit did they make": a noun the answer does not use, or none does
            found.append(asked)
        owned = asked_head(terms, owned_only=True)
        if (owned is not None and owned not in found and not self.mentions(owned)
                and owned not in self._entity_words and number_form(owned) is None):
            # "what is the top speed of the ferry": a noun the knowledge base never uses
            found.append(owned)
        return found

    def _uses_in(self, column: int, word: str) -> bool:
        """True when intent ``column``'s examples or answer use ``word`` or a synonym of it.

        A synonym is a one-word member of a strong paraphrase group holding ``word``
        ("vc" and "investors"): a word the intent says in other words points nowhere else.
        """
        words = {word} | {m[0] for g in self._lexicon.groups_of(word) if not g.weak
                          for m in g.members if len(m) == 1}
        for each in words:
            row = self._stem_index.get(stem(each))
            if row is not None and (self._stem_intents[row, column]
                                    or self._stem_answers[row, column]):
                return True
        return False

    def _synonym_uses(self) -> np.ndarray:
        """Return, per stem and intent, how much the intent uses a synonym of the stem.

        A synonym is a one-word member of a strong paraphrase group holding a word of the
        stem ("cars" and "vehicles"), at ``paraphrase_trust``; an example's use counts
        fully, an answer's at ``answer_weight``. A question saying "cars" to the intent
        whose answer counts "vehicles" is covered by it, if less than by its own word,
        though the knowledge base knows "cars" from another answer.
        """
        uses = np.zeros_like(self._stem_intents, dtype=np.float64)
        for word in self._words:
            row = self._stem_index.get(stem(word))
            if row is None:
                continue
            for group in self._lexicon.groups_of(word):
                if group.weak:
                    continue  # a looser group: "people" is not always staff
                trust = self._settings.paraphrase_trust
                for member in group.members:
                    other = self._stem_index.get(stem(member[0])) if len(member) == 1 else None
                    if other is None or other == row:
                        continue
                    uses[row] = np.maximum(uses[row], trust * (
                        self._stem_intents[other]
                        + self._settings.answer_weight * self._answer_only[other]))
        return uses

    def _is_other_name(self, word: str) -> bool:
        """True when ``word`` is a name (no common English word) other than the subject.

        The knowledge base's own subject is the word most intents use ("mistral"); an
        entity value is something an intent reads ("did cisco invest").
        """
        if word in self._entity_words:
            return False
        if rarity(word, self._settings.rarity_power) < self._settings.new_word_rarity:
            return False
        row = self._stem_index.get(stem(word))
        return row is None or self._spread[row] < self._settings.common_word_spread

    def _answer_uses(self, word: str) -> int:
        """Return how many intents' answers use ``word`` (any form of it) but no example does.

        A lexicon phrase counts the answers that use it, when no example does.
        """
        if " " in word:
            return 0 if word in self._phrase_counts else self._answer_phrase_counts.get(word, 0)
        row = self._stem_index.get(stem(word))
        return 0 if row is None else int(self._answer_only[row].sum())

    def _uses(self, word: str) -> int:
        """Return how many examples use ``word``, any form of it (for the paraphrase lexicon).

        "backer" counts the examples with "backers"; a phrase of the paraphrase lexicon
        counts the examples that use it as written ("partner with").
        """
        if " " in word:
            return self._phrase_counts.get(word, 0)
        return self._stem_counts.get(stem(word), 0)

    def scores(
        self, tokens: list[str], trust: list[float] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return (softmax probability, coverage factor) for every intent.

        Args:
            tokens: Corrected tokens of the message.
            trust: Trust of each token (all 1.0 when None).

        Returns:
            Two arrays over ``self.intents``.
        """
        ids, values = self._space.vector(tokens, trust, self._dilution(tokens))
        raw = values @ self._weights[ids] if len(ids) else np.zeros(len(self.intents))
        if self._settings.answer_score_weight:
            raw = raw + self._settings.answer_score_weight * self._answer_evidence(tokens, trust)
        logits = np.append(raw.astype(np.float64), self._settings.null_score)
        logits *= self._settings.temperature
        logits -= logits.max()
        probabilities = np.exp(logits)
        probabilities = probabilities[:-1] / probabilities.sum()
        return probabilities, self.coverage(tokens, trust)

    def _answer_evidence(self, tokens: list[str], trust: list[float] | None) -> np.ndarray:
        """Return, per intent, how much of the message only its answer speaks of.

        The IDF weight of the content words that the intent's answer uses and none of its
        examples do (a corrected typo for its trust), over the message's whole weight (an
        unknown word as in :meth:`covered_share`), times the share of that weight the
        knowledge base knows: a message of mostly unknown words ("the boiling point of
        water") gains little from the one word an answer happens to use. A word counts
        less the more intents' examples use it (over one plus their number): the fitted
        model weighs it already, and "what kind of models" is asked of the answer whose
        examples say "models", not of every answer mentioning models. An adverb counts for
        nothing: "before 2028" in an answer is no answer to "what did she do before".
        """
        found = np.zeros(len(self.intents))
        content = {t: b for t, b in zip(tokens, trust or [1.0] * len(tokens), strict=True)
                   if t not in FUNCTION_WORDS and t not in QUESTION_WORDS}
        total = known = 0.0
        for token, belief in content.items():
            row = self._stem_index.get(stem(token))
            if row is None:
                total += self._unknown_content_weight(token, len(content))
                continue
            weight = float(self._stem_idf[row])
            total += weight
            known += weight
            if adverb_only(token):
                continue  # "before 2028" is no answer to "what did she do before"
            # a word other intents' examples use is one the fitted model already weighs
            claimed = 1.0 + float(self._stem_intents[row].sum())
            found += weight * belief * self._answer_only[row] / claimed
        return found * known / total ** 2 if total else found

    def _unknown_content_weight(self, token: str, content: int) -> float:
        """Return the weight of an unknown word among ``content`` distinct content words.

        The largest IDF times the word's weight (:meth:`_unknown_weight`), at most that IDF
        and at least that over ``content``; an entity value weighs nothing.
        """
        if token in self._entity_words:
            return 0.0
        return self._unknown_idf * max(min(1.0, self._unknown_weight(token)), 1 / content)

    def _unknown_weight(self, token: str) -> float:
        """Return how much an unknown word weighs: its rarity, more for a name."""
        weight = rarity(token, self._settings.rarity_power)
        if weight >= 1.0 and token.isalpha():
            weight *= self._settings.name_weight
        return weight

    def _dilution(self, tokens: list[str]) -> dict[str, float]:
        """Return how much each word the examples never use dilutes the features."""
        return {t: 0.0 if t in self._entity_words else self._unknown_weight(t)
                for t in tokens if t not in self._known_words}

    def coverage(self, tokens: list[str], trust: list[float] | None = None) -> np.ndarray:
        """Return, per intent, the coverage factor of the message's information.

        Each distinct token weighs its IDF (the largest IDF when the knowledge base never
        saw it; a fraction for general function words); a corrected typo counts as known
        only for its trust. The factor is the known share
        raised to ``kb_coverage_power`` times the share the intent's examples use raised
        to ``intent_coverage_power``.
        """
        weights: list[float] = []
        known: list[float] = []
        rows: list[int] = []
        against = np.zeros(len(self.intents))
        specific: np.ndarray | float = 0.0  # specific words each intent does not cover
        names = 0.0  # unknown rare words, weighed by how specific they are
        settings = self._settings
        seen: set[str] = set()
        # In a short message each word is a large part of the question: an unknown word
        # weighs at least one over the number of content words, however common it is.
        content = max(1, len({t for t in tokens if t not in FUNCTION_WORDS
                              and t not in QUESTION_WORDS}))
        noun = asked_noun(tokens)
        typed: np.ndarray | float = 0.0  # the asked type noun, covered by answers giving it
        for token, belief in zip(tokens, trust or [1.0] * len(tokens), strict=True):
            if token in seen:
                continue
            seen.add(token)
            index = self._stem_index.get(stem(token))
            if index is None and token == noun:
                # "what nationality": an answer naming a country gives what is asked,
                # though no example uses the word
                weights.append(self._unknown_idf * max(self._unknown_weight(token), 1 / content))
                known.append(0.0)
                typed = typed + settings.answer_weight * weights[-1] * self._noun_capable[noun]
                continue
            factor = self._settings.function_weight if token in FUNCTION_WORDS else 1.0
            if index is None and token in self._entity_words:
                continue  # a value the entity extractor knows: neither evidence nor a gap
            if index is None:
                unknown = self._unknown_weight(token)
                weights.append(self._unknown_idf * factor * max(unknown, 1.0 / content))
                known.append(0.0)
                if token not in FUNCTION_WORDS:
                    names += settings.name_specificity * _specificity(min(1.0, unknown))
            else:
                weights.append(float(self._stem_idf[index]) * factor)
                known.append(weights[-1] * belief)
                rows.append(index)
                rival = known[-1] * float(self._stem_key[index])
                if rival > 0:
                    against += rival * (1.0 - self._stem_intents[index])
                own = float(self._stem_own[index])
                if own > 0 and token not in FUNCTION_WORDS:
                    specific = specific + settings.rival_specificity * belief * own * (
                        1.0 - np.minimum(1.0, self._stem_intents[index]
                                         + self._answer_only[index]
                                         + self._synonym_use[index]))
        total = sum(weights)
        result = np.zeros(len(self.intents))
        if total <= 0:
            return result
        positions = [i for i, share in enumerate(known) if share > 0]
        settings = self._settings
        for index, position in zip(rows, positions, strict=True):
            own = self._stem_intents[index] + settings.answer_weight * self._answer_only[index]
            result += np.maximum(own, self._synonym_use[index]) * known[position]
        share = (result + typed) / (total + settings.rival_word_weight * against)
        return (sum(known) / total) ** settings.kb_coverage_power * share ** (
            settings.intent_coverage_power
        ) * settings.uncovered_factor ** specific * self._novel_name_odds(names)

    def _novel_name_odds(self, names: float) -> np.ndarray | float:
        """Return, per intent, the factor for ``names`` unknown rare words in the message.

        How surprising a word the knowledge base never saw is depends on the intent: one
        whose examples keep naming new things ("weather in boston", "... in lima") expects
        more; one whose examples name the same few things ("arthur mensch") does not. The
        Good-Turing estimate of that chance is the share of the intent's examples with a
        name no other example of it uses (``novel_names``); the factor is that chance plus
        the rest times ``uncovered_factor ** names``.
        """
        if names <= 0:
            return 1.0
        novel = self._novel_names
        return novel + (1.0 - novel) * self._settings.uncovered_factor ** names

    def _fill_slots(
        self, tokens: list[str], trust: list[float], confidence: np.ndarray
    ) -> np.ndarray:
        """Let unknown names fill an entity slot ("did tencent invest" as "did X invest").

        An example with annotated entities is also trained with each value replaced by a
        placeholder of its entity (see :func:`_slot_docs`). A token the knowledge
        base does not know, that is neither a function word nor one of the common English
        words (:mod:`bot.nlu.english`), is read as a name: the message is scored again with
        such tokens replaced by each placeholder, and each intent keeps its best score. The
        message must also have a known content word: a bare name asks nothing.
        """
        if not self._slots:
            return confidence
        names = [
            i for i, t in enumerate(tokens)
            if t not in self._known_words and t.isalpha() and len(t) > 1
            and t not in FUNCTION_WORDS and t not in QUESTION_WORDS and t not in frequencies()
        ]  # a single letter ("quick q") names nothing
        context = [
            t for t in tokens
            if t in self._known_words and t not in FUNCTION_WORDS and t not in QUESTION_WORDS
        ]
        if not names or not context:
            return confidence  # a bare name ("kubernetes?") is no question about it
        for slot in self._slots:
            row = self._stem_index.get(stem(slot))
            if row is None:
                continue
            variant = [slot if i in names else t for i, t in enumerate(tokens)]
            probabilities, _ = self.scores(variant, trust)
            # The placeholder is no evidence of its own: the rest of the message must fit
            # the intent ("did X invest" fits "did tencent invest"; "what X does it train
            # on" does not).
            rest = [(t, b) for i, (t, b) in enumerate(zip(tokens, trust, strict=True))
                    if i not in names]
            coverage = self.coverage([t for t, _ in rest], [b for _, b in rest])
            # only the intents trained with this slot may use it
            filled = np.where(self._stem_intents[row] > 0, probabilities * coverage, 0.0)
            confidence = np.maximum(confidence, filled)
        return confidence

    def kind_capable(self, tokens: list[str], words: Sequence[str] = ()) -> np.ndarray | None:
        """Return, per intent, whether it can give the kind of answer asked for (or None).

        The kind comes from the question words ("who", "when", "how much":
        :func:`bot.nlu.kinds.question_kind`), for "which / what NOUN" from the type noun
        ("which city": :func:`bot.nlu.kinds.asked_noun`), and for "how many NOUN" from what
        is counted (:meth:`counting`); an intent must give all. The type noun is read from
        the typed ``words`` too: the paraphrase lexicon reads "what time" as "when", but a
        date is no time of day.
        """
        kind = question_kind(tokens)
        noun = asked_noun(tokens) or asked_noun(words)
        counted = count_noun(tokens)
        if kind is None and noun is None and not counted:
            return None
        capable = np.ones(len(self.intents), dtype=bool)
        if kind is not None:
            capable &= self._kind_capable[kind]
        if noun is not None:
            capable &= self._noun_capable[noun]
        if counted:
            capable &= self.counting(counted)
        return capable

    def gives_kind(self, text: str, intent: str) -> bool:
        """Return False when ``intent`` cannot give the kind of answer ``text`` asks for.

        "how much business is it doing in dollars" asks for an amount; an answer with no
        figure cannot give one. The kinds read are those of
        :data:`bot.nlu.kinds.LITERAL_KINDS` ("where does he fit in" asks for no place),
        the type noun and the count asked for (see :meth:`kind_capable`).
        """
        return intent in self.intents and self._lacking(text, intent, LITERAL_KINDS) is None

    def counting(self, words: tuple[str, ...]) -> np.ndarray:
        """Return, per intent, whether its answer counts one of ``words`` ("how many X").

        An answer counts X when one of its figures counts X or a word the paraphrase
        lexicon groups with X ("700 employees" counts staff), or when its examples ask
        "how many X" (as often as :func:`_least_asking` requires). A count of any noun for
        people is a count of people ("a five-member board" answers "how many people sit
        on the board"); not the other way round: "40 people" of a studio's staff does not
        answer "how many players".
        """
        stems = {stem(w) for w in words}
        for word in words:
            stems.update(stem(m[0]) for g in self._lexicon.groups_of(word)
                         for m in g.members if len(m) == 1)
        capable = np.zeros(len(self.intents), dtype=bool)
        for s in stems:
            capable[self._counted.get(s, [])] = True
        return capable

    def missing_type(self, text: str, intent: str) -> str | None:
        """Return the type noun ``text`` asks for that ``intent``'s answer cannot give.

        "which city" against an answer naming only a country: "city"; "how many players"
        against one counting copies: "players"; "how much is a bag" against one with no sum
        of money: "price"; "how old is she" against one with no age: "age". None when the
        question names no such type or the answer gives it. A refusal can then say
        truthfully that the sources do not tell, rather than that the question is unclear.
        (A bare "who" or "when" is not enough: the closest intent may merely be the wrong
        one.)
        """
        if intent not in self.intents:
            return None
        lacking = self._lacking(text, intent, frozenset(_KIND_WORDS))
        return None if lacking is None else _KIND_WORDS.get(lacking[1], lacking[0])

    def _lacking(self, text: str, intent: str, kinds: frozenset[str],
                 ) -> tuple[str, str | None] | None:
        """Return (word, kind) of what ``text`` asks for that ``intent`` cannot give.

        The type noun asked for ("which city"), the noun counted ("how many players") or,
        among ``kinds``, the question's kind ("how much": money); the kind is None for a
        noun. None when the intent gives all of them.
        """
        tokens = self.understand(text)[0]
        label = self.intents.index(intent)
        noun = asked_noun(tokens) or asked_noun(self.read(text).words)
        if noun is not None and not self._noun_capable[noun][label]:
            return noun, None
        counted = count_noun(tokens)
        if counted and not self.counting(counted)[label]:
            return counted[0], None
        kind = question_kind(tokens)
        if kind in kinds and not self._kind_capable[kind][label]:
            return kind, kind
        return None

    def _without_evidence(self, tokens: list[str]) -> np.ndarray:
        """Return, per intent, whether no content word of the message speaks for it.

        A content word speaks for an intent when the intent's examples or answer use it and
        it is no word most intents use (``common_word_spread``: the knowledge base's own
        subject, "mistral" in "mistral, briefly please", tells no intent from another);
        the type noun asked for speaks for the answers giving that type. A message with no
        content word at all ("why?") has evidence for none. An intent with the message as
        an example needs no more.
        """
        evidence = np.zeros(len(self.intents), dtype=bool)
        for token in set(tokens):
            if token in FUNCTION_WORDS or token in QUESTION_WORDS:
                continue
            row = self._stem_index.get(stem(token))
            if row is None or self._spread[row] >= self._settings.common_word_spread:
                continue
            evidence |= (self._stem_intents[row] + self._stem_answers[row]
                         + self._synonym_use[row]) > 0
        noun = asked_noun(tokens)
        if noun is not None:
            evidence |= self._noun_capable[noun]
        words = frozenset(stem(t) for t in tokens)
        evidence[list(self._examples_by_stems.get(words, ()))] = True
        return ~evidence

    def has_evidence(self, text: str, intent: str) -> bool:
        """True when a content word of ``text`` speaks for ``intent``.

        See :meth:`_without_evidence`: the subject's own name speaks for no intent.
        """
        if intent not in self.intents:
            return False
        tokens, _ = self.understand(text)
        return bool(tokens) and not self._without_evidence(tokens)[self.intents.index(intent)]

    def rank(self, text: str, limit: int = 10) -> list[IntentScore]:
        """Return up to ``limit`` intents, best first, with confidences in [0, 1]."""
        tokens, trust = self.understand(text)
        if not tokens or not self.intents:
            return []
        confidence, ranked = self._confidence(tokens, trust, self.read(text).words)
        second = second_question(tokens)
        if second is not None:
            # "who is the ceo and what does he believe in": an answer to the first question
            # that is not the best answer to the second answers half the message
            top = int(np.argmax(confidence))
            part, _ = self._confidence(tokens[second:], trust[second:])
            if int(np.argmax(part)) != top:
                confidence = confidence.copy()
                confidence[top] *= self._settings.uncovered_factor
        order = np.lexsort((-ranked, -confidence))[:limit]
        return [
            IntentScore(self.intents[i], float(min(1.0, max(0.0, confidence[i]))))
            for i in order
        ]

    def _confidence(
        self, tokens: list[str], trust: list[float], words: Sequence[str] = ()
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return the confidence of every intent, and the order ties keep (see :meth:`rank`).

        ``words`` are the message's typed words (see :meth:`kind_capable`).
        """
        probabilities, coverage = self.scores(tokens, trust)
        confidence = probabilities * coverage
        confidence = self._fill_slots(tokens, trust, confidence)
        subject = question_subject(tokens)
        if subject in self._compared:
            # "what does palantir do": the answers that name it only to compare are not
            # about it
            confidence = confidence.copy()
            confidence[self._compared[subject]] *= self._settings.uncovered_factor
        capable = self.kind_capable(tokens, words)
        if capable is not None:
            confidence = np.where(capable, confidence,
                                  confidence * self._settings.kind_mismatch_factor)
        ranked = confidence  # ties after sharing keep the fitted order
        if self._settings.share_candidates:
            confidence = self._share_unresolved(tokens, confidence)
        content_free = all(t in FUNCTION_WORDS or t in QUESTION_WORDS for t in tokens)
        factor = (self._settings.content_free_factor if content_free
                  else self._settings.no_evidence_factor)
        confidence = np.where(self._without_evidence(tokens), confidence * factor, confidence)
        return confidence, ranked


# What a refusal names when an answer lacks the type a question asks for.
_KIND_WORDS = {MONEY: "price", AGE: "age", DURATION: "how long", WEIGHT: "weight"}

_YEAR = re.compile(r"(?:1[89]|20)[0-9]{2}")
_NUMBER = re.compile(r"[$€£]?[0-9]+(?:[.,][0-9]+)*(?:%|st|nd|rd|th|am|pm|k|m|mn|bn|b|s)?")


def _specificity(weight: float) -> float:
    """Return how specific an unknown word of weight ``weight`` (0..1) is: 0 below 0.5."""
    return max(0.0, (weight - 0.5) / 0.5)


def _most_used_by(words: list[str], key: Callable[[str], str | None]) -> dict[str, str]:
    """Return ``key`` value -> the first of ``words`` (most used first) with that value."""
    found: dict[str, str] = {}
    for word in words:
        value = key(word)
        if value is not None:
            found.setdefault(value, word)
    return found


def number_form(token: str) -> str | None:
    """Return the form of a number-like token ("$100" -> "$000"), or None for other tokens."""
    if not _NUMBER.fullmatch(token):
        return None
    return re.sub(r"[0-9]", "0", token)


def _key_share(per_intent: Counter[int], prior: float) -> float:
    """Return how much a word is a key word of its main intent (0..1).

    Args:
        per_intent: Number of examples using the word, per intent.
        prior: Pseudo-count: a word needs several examples of one intent to count.

    Returns:
        The main intent's share of the word's examples times ``(c - 1) / (c - 1 + prior)``,
        ``c`` being that intent's count (a word used once is no key word).
    """
    top = max(per_intent.values())
    return top / sum(per_intent.values()) * (top - 1) / (top - 1 + prior)


def _owned_share(per_intent: Counter[int], prior: float) -> float:
    """Return how much a word belongs to one intent (0..1), counting single uses too.

    Args:
        per_intent: Number of examples using the word, per intent.
        prior: Pseudo-count.

    Returns:
        The main intent's share of the word's examples times ``c / (c + prior)``, ``c``
        being that intent's count: "google" in one example of one intent is that intent's
        word, a little; "important" once in each of two intents is half anyone's.
    """
    top = max(per_intent.values())
    return top / sum(per_intent.values()) * top / (top + prior)


def _compared_arrays(compared: dict[str, list[int]]) -> dict[str, np.ndarray]:
    pairs = sorted((word, label) for word, labels in compared.items() for label in labels)
    return {
        "compared_words": np.array([p[0] for p in pairs], dtype=np.str_),
        "compared_labels": np.array([p[1] for p in pairs], dtype=np.int64),
    }


def _phrase_arrays(key: str, counts: dict[str, int]) -> dict[str, np.ndarray]:
    """Return ``counts`` (phrase -> uses) as two arrays, ``key`` and ``key_counts``."""
    phrases = sorted(counts)
    return {key: np.array(phrases, dtype=np.str_),
            key.removesuffix("s") + "_counts": np.array([counts[p] for p in phrases],
                                                         dtype=np.int64)}


def _phrase_dict(phrases: np.ndarray, counts: np.ndarray) -> dict[str, int]:
    """Return the phrase -> uses mapping that :func:`_phrase_arrays` stored."""
    return dict(zip((str(p) for p in phrases.tolist()), counts.tolist(), strict=True))


def _counted_arrays(counted: dict[str, list[int]]) -> dict[str, np.ndarray]:
    pairs = sorted((word, label) for word, labels in counted.items() for label in labels)
    return {
        "counted_words": np.array([p[0] for p in pairs], dtype=np.str_),
        "counted_labels": np.array([p[1] for p in pairs], dtype=np.int64),
    }


def _examples_by_label(docs: list[list[str]], labels: list[int]) -> dict[int, list[list[str]]]:
    """Return each intent's tokenised examples, keyed by its label."""
    examples: dict[int, list[list[str]]] = {}
    for tokens, label in zip(docs, labels, strict=True):
        examples.setdefault(label, []).append(tokens)
    return examples


def _counted(
    kb: KnowledgeBase, names: list[str], synonyms: dict[str, str], docs: list[list[str]],
    labels: list[int], share: float,
) -> dict[str, list[int]]:
    """Return, per stem, the intents whose answer counts it ("3.1 million copies": "cop").

    An intent counts what a figure of its answer counts (:func:`bot.nlu.kinds.counted_words`)
    and what its examples ask "how many" of, as often as :func:`_least_asking` requires.
    """
    examples = _examples_by_label(docs, labels)
    counted: dict[str, set[int]] = {}
    for label, name in enumerate(names):
        texts = answer_texts(kb, name, with_title=False)
        words = {w for text in texts for w in counted_words(tokenize(text, synonyms))}
        own = examples.get(label, [])
        words |= example_counts(own, _least_asking(texts, own, share))
        words |= example_counts(_title_question(kb, name, synonyms))
        if any(counts_people(w) for w in words):
            words.add(PEOPLE)  # "a five-member board" counts people
        for word in words:
            counted.setdefault(stem(word), set()).add(label)
    return {word: sorted(found) for word, found in counted.items()}


def slot_token(table: str) -> str:
    """Return the placeholder token of lookup table ``table`` (a word nobody types)."""
    return "zzslot" + "".join(c for c in table.casefold() if c.isalnum())


def _slot_docs(
    kb: KnowledgeBase, names: list[str], synonyms: dict[str, str]
) -> tuple[list[list[str]], list[int], list[str]]:
    """Return extra examples with annotated entity values replaced by placeholders.

    Only examples whose entities are annotated (Rasa ``[Google](investor)`` markup) take
    part: their intent then accepts any name in that position.

    Returns:
        The extra token lists, their labels, and the placeholder tokens used.
    """
    seen: set[tuple[tuple[str, ...], int]] = set()
    extra_docs: list[list[str]] = []
    extra_labels: list[int] = []
    slots: set[str] = set()
    for label, name in enumerate(names):
        for example in kb.intents[name].examples:
            if not example.entities:
                continue
            tokens = tokenize(example.text, synonyms)
            for value, entity in example.entities:
                words = tokenize(value, synonyms)
                n = len(words)
                if not n:
                    continue
                hits = [i for i in range(len(tokens) - n + 1) if tokens[i : i + n] == words]
                for i in reversed(hits):
                    tokens[i : i + n] = [slot_token(entity)]
                    slots.add(slot_token(entity))
            if (tuple(tokens), label) not in seen:
                seen.add((tuple(tokens), label))
                extra_docs.append(tokens)
                extra_labels.append(label)
    return extra_docs, extra_labels, sorted(slots)


def answer_texts(kb: KnowledgeBase, intent: str, with_title: bool = True) -> list[str]:
    """Return what answers ``intent`` in words: its responses' texts and its title."""
    texts = []
    for action in kb.actions_for(intent):
        response = kb.responses.get(action)
        if response is not None:
            texts.extend(v.text for v in response.variants)
    title = _title(kb, intent)
    if with_title and title is not None:
        texts.append(title)
    return texts


def _title(kb: KnowledgeBase, intent: str) -> str | None:
    metadata = kb.intents[intent].metadata if intent in kb.intents else {}
    title = metadata.get("title") if metadata else None
    return title if isinstance(title, str) else None


def _title_question(kb: KnowledgeBase, intent: str, synonyms: dict[str, str]) -> list[list[str]]:
    """Return the intent's title as a question its answer answers, or [] for none.

    A FAQ entry titled "How many homes will it supply?" answers with a count of homes,
    even when its answer says only "About 700,000".
    """
    title = _title(kb, intent)
    if title is None or not title.rstrip().endswith("?"):
        return []
    return [tokenize(title, synonyms)]


def _answer_stems(
    kb: KnowledgeBase, names: list[str], synonyms: dict[str, str]
) -> list[set[str]]:
    """Return, per intent, the stems of the content words of its answer.

    A line of an answer that is another intent's example ("You can ask, for example:" and
    a list of questions) points to that intent: it says nothing its own intent answers.
    An answer in the bot's own voice ("My answers are based on reporting by ...", "I
    answer questions about ...") speaks of the bot, not of what people ask about: "where
    are they based" is no question for it.
    """
    examples: dict[tuple[str, ...], set[str]] = {}
    for name in names:
        for example in kb.intents[name].examples:
            examples.setdefault(tuple(tokenize(example.text, synonyms)), set()).add(name)
    result = []
    for name in names:
        lines = [tuple(tokenize(line, synonyms)) for text in answer_texts(kb, name)
                 if not _BOT_VOICE.match(text) for line in text.splitlines()]
        words = {t for line in lines if examples.get(line, {name}) <= {name} for t in line}
        result.append({stem(w) for w in words
                       if w not in FUNCTION_WORDS and w not in QUESTION_WORDS
                       and "{" not in w})
    return result


# An answer opening with "I" or "My" is the bot speaking of itself.
_BOT_VOICE = re.compile(r"\s*(?:I|My)\b")


def _novel_names(docs: list[list[str]], labels: list[int], n_intents: int) -> np.ndarray:
    """Return, per intent, the share of its examples with a name no other example uses.

    A name is an alphabetic word outside the English word list (:mod:`bot.nlu.english`).
    """
    english = frequencies()
    uses: dict[int, Counter[str]] = {}
    counts = np.zeros(n_intents)
    for tokens, label in zip(docs, labels, strict=True):
        counts[label] += 1
        found = {t for t in tokens if t.isalpha() and t not in english
                 and t not in FUNCTION_WORDS and not t.startswith("zzslot")}
        uses.setdefault(label, Counter()).update(found)
    novel = np.zeros(n_intents)
    for tokens, label in zip(docs, labels, strict=True):
        if any(uses[label].get(t) == 1 for t in set(tokens)):
            novel[label] += 1
    return np.divide(novel, counts, out=np.zeros(n_intents), where=counts > 0)


def _least_asking(texts: list[str], examples: list[list[str]], share: float) -> int:
    """Return how many examples must ask for a kind before the intent is taken to give it.

    A custom action's answer is not known in advance (``texts``, its responses, are
    empty; a title is no answer): one example asking "who invested" tells what it
    answers. An answer in words tells for itself; an example asking more than it says (a
    generated "which city is it in" against "based in France") counts only when ``share``
    of the examples (and at least two) ask the same.
    """
    if not texts:
        return 1
    return max(2, math.ceil(share * len(examples)))


def _kind_capable(
    kb: KnowledgeBase, names: list[str], docs: list[list[str]], labels: list[int],
    share: float,
) -> np.ndarray:
    """Return, per kind of answer and intent, whether the intent can give that kind."""
    examples = _examples_by_label(docs, labels)
    capable = np.zeros((len(KINDS), len(names)), dtype=bool)
    for label, name in enumerate(names):
        texts = answer_texts(kb, name)
        asked = examples.get(label, [])
        least = _least_asking(answer_texts(kb, name, with_title=False), asked, share)
        kinds = answer_kinds(texts) | example_kinds(asked, least)
        for row, kind in enumerate(KINDS):
            capable[row, label] = kind in kinds
    return capable


def _noun_capable(
    kb: KnowledgeBase, names: list[str], docs: list[list[str]], labels: list[int],
    share: float,
) -> np.ndarray:
    """Return, per type noun and intent, whether the intent's answer gives that type.

    "which city" is answered by an answer naming a city, not by one that names only a
    country (:func:`bot.nlu.kinds.gives_noun`), nor by one whose examples ask "which
    city" once (see :func:`_least_asking`).
    """
    examples = _examples_by_label(docs, labels)
    capable = np.zeros((len(NOUNS), len(names)), dtype=bool)
    for label, name in enumerate(names):
        texts = answer_texts(kb, name)
        own = examples.get(label, [])
        asked = example_nouns(
            own, _least_asking(answer_texts(kb, name, with_title=False), own, share))
        for row, noun in enumerate(NOUNS):
            capable[row, label] = noun in asked or gives_noun(noun, texts)
    return capable


def _training_data(kb: KnowledgeBase) -> tuple[list[str], list[tuple[str, str]]]:
    names = list(kb.answerable_intents())
    pairs = [(text, s.value) for s in kb.synonyms for text in s.examples]
    return names, pairs


def _fit(
    kb: KnowledgeBase, names: list[str], synonyms: dict[str, str], settings: MatcherSettings
) -> dict[str, np.ndarray]:
    docs: list[list[str]] = []
    labels: list[int] = []
    for label, name in enumerate(names):
        for example in kb.intents[name].examples:
            tokens = tokenize(example.text, synonyms)
            if tokens:
                docs.append(tokens)
                labels.append(label)
    extra_docs, extra_labels, slots = _slot_docs(kb, names, synonyms)
    docs += extra_docs
    labels += extra_labels
    space = FeatureSpace.fit(docs, settings.block_weights)
    rows = space.transform(docs)
    target = np.asarray(labels, dtype=np.int64)
    weights = fit_hinge(
        rows, target, len(names),
        epochs=settings.epochs_for(len(docs)), learning_rate=settings.learning_rate,
        l2=settings.l2,
    )
    # Scores are read relative to how well the model scores its own training examples,
    # so the same temperature and null score suit small and large knowledge bases.
    own = (rows @ weights)[np.arange(len(target)), target]
    scale = float(np.median(own)) if len(own) and np.median(own) > 0 else 1.0
    word_counts: Counter[str] = Counter(t for tokens in docs for t in tokens)
    stem_docs: Counter[str] = Counter()
    stem_intents: dict[str, Counter[int]] = {}
    for tokens, label in zip(docs, labels, strict=True):
        stems = {stem(t) for t in tokens}
        stem_docs.update(stems)
        for s in stems:
            stem_intents.setdefault(s, Counter())[label] += 1
    answers = _answer_stems(kb, names, synonyms)
    lexicon = load_lexicon()
    phrases = count_phrases(lexicon, docs)
    answer_phrases = count_phrases(lexicon, [
        tokenize(text, synonyms) for name in names for text in answer_texts(kb, name)])
    # a title is a label ("Strategy (Palantir playbook)"), not a sentence about the name
    compared = [comparison_names(answer_texts(kb, name, with_title=False)) for name in names]
    stems = sorted(set(stem_docs).union(*answers))
    membership = np.zeros((len(stems), len(names)), dtype=np.float32)
    answer_membership = np.zeros((len(stems), len(names)), dtype=np.float32)
    for row, s in enumerate(stems):
        membership[row, sorted(stem_intents.get(s, ()))] = 1.0
        answer_membership[row, [i for i, found in enumerate(answers) if s in found]] = 1.0
    stem_key = np.array(
        [_key_share(stem_intents[s], settings.rival_word_prior) if s in stem_intents else 0.0
         for s in stems], dtype=np.float32
    )
    n_docs = len(docs)
    stem_idf = np.array(
        [math.log((1 + n_docs) / (1 + max(1, stem_docs[s]))) + 1.0 for s in stems],
        dtype=np.float32,
    )
    return {
        "intents": np.array(names, dtype=np.str_),
        "terms": np.array(sorted(space.vocab, key=space.vocab.__getitem__), dtype=np.str_),
        "idf": space.idf,
        "weights": (weights / scale).astype(np.float32),
        "words": np.array([w for w, _ in word_counts.most_common()], dtype=np.str_),
        "word_counts": np.array([c for _, c in word_counts.most_common()], dtype=np.int64),
        "stems": np.array(stems, dtype=np.str_),
        "stem_idf": stem_idf,
        "unknown_idf": np.array(math.log(1 + n_docs) + 1.0),
        "stem_intents": membership,
        "stem_answers": answer_membership,
        "stem_key": stem_key,
        "stem_own": np.array(
            [_owned_share(stem_intents[s], settings.own_word_prior) if s in stem_intents
             else 0.0 for s in stems], dtype=np.float32),
        "kind_capable": _kind_capable(kb, names, docs, labels, settings.kind_example_share),
        "noun_capable": _noun_capable(kb, names, docs, labels, settings.kind_example_share),
        **_counted_arrays(_counted(kb, names, synonyms, docs, labels,
                                   settings.kind_example_share)),
        "novel_names": _novel_names(docs, labels, len(names)),
        "entity_words": np.array(sorted({
            t for table in kb.lookups for value in table.elements
            for t in tokenize(value, synonyms)} | {
            t for s in kb.synonyms for text in (s.value, *s.examples)
            for t in tokenize(text)}), dtype=np.str_),

        "slot_tokens": np.array(slots, dtype=np.str_),
        **_compared_arrays({
            word: [label for label, found in enumerate(compared) if word in found]
            for word in set().union(*compared)}),
        **_phrase_arrays("phrases", phrases),
        **_phrase_arrays("answer_phrases", answer_phrases),
        "example_texts": np.array([" ".join(sorted({stem(t) for t in tokens})) for tokens in docs],
                                  dtype=np.str_),
        "example_labels": np.asarray(labels, dtype=np.int64),
    }


def build_matcher(
    kb: KnowledgeBase,
    settings: MatcherSettings | None = None,
    *,
    use_cache: bool = True,
    cache_dir: Path | None = None,
) -> LinearMatcher:
    """Build (or load from the cache) the matcher for ``kb``.

    Args:
        kb: The knowledge base.
        settings: Matcher knobs; the tuned defaults when None.
        use_cache: Read and write the on-disk cache.
        cache_dir: Cache directory; :func:`bot.nlu.cache.cache_dir` when None.

    Returns:
        The matcher.
    """
    settings = settings or MatcherSettings()
    names, pairs = _training_data(kb)
    synonyms = synonym_map(pairs)
    key = cache.content_key({
        "version": MATCHER_VERSION,
        "code": code_fingerprint(),
        "settings": [settings.block_weights, settings.epochs_budget, settings.min_epochs,
                     settings.max_epochs, settings.learning_rate, settings.l2,
                     settings.rival_word_prior,
                     settings.own_word_prior, settings.kind_example_share],
        "intents": [[n, [e.text for e in kb.intents[n].examples]] for n in names],
        # what an answer says is evidence too (its words, the kinds and counts it gives)
        "answers": [[n, answer_texts(kb, n)] for n in names],
        "synonyms": sorted(pairs),
        "lookups": [[t.name, list(t.elements)] for t in kb.lookups],
        "entities": [[n, [list(map(list, e.entities)) for e in kb.intents[n].examples]]
                     for n in names],
    })
    arrays = cache.load(key, cache_dir) if use_cache else None
    if arrays is not None:
        try:
            return LinearMatcher(arrays, synonyms, settings)
        except (KeyError, ValueError, TypeError, IndexError) as exc:
            logger.warning("ignoring inconsistent matcher cache: %s", exc)
    arrays = _fit(kb, names, synonyms, settings)
    if use_cache:
        cache.save(key, arrays, cache_dir)
    return LinearMatcher(arrays, synonyms, settings)

"""Build Rasa's ``config.yml``: an NLU pipeline and policies for a small FAQ bot.

The pipeline suits short questions with typos: whitespace tokens, regular expressions and
lookup tables, word counts and character n-grams (``char_wb``), DIET for intents and
entities, synonyms mapped to their value, a ResponseSelector for each retrieval intent,
and Rasa's FallbackClassifier with faqbot's own thresholds. RulePolicy runs the rules;
there are no stories to learn from.
"""

from __future__ import annotations

from bot.config import NluConfig

EPOCHS = 100


def build_config(nlu: NluConfig, retrieval_groups: list[str],
                 assistant_id: str = "faqbot") -> dict[str, object]:
    """Return the Rasa configuration as a mapping ready to be written as YAML.

    Args:
        nlu: faqbot's thresholds; ``answer_threshold`` and ``ambiguity_threshold`` become
            the FallbackClassifier's ``threshold`` and ``ambiguity_threshold``.
        retrieval_groups: Retrieval intents (``faq``), one ResponseSelector each.
        assistant_id: Rasa's name for the assistant (logged with every event).

    Returns:
        ``recipe``, ``language``, ``assistant_id``, ``pipeline``, ``policies``.
    """
    pipeline: list[dict[str, object]] = [
        {"name": "WhitespaceTokenizer"},
        {"name": "RegexFeaturizer"},
        {"name": "LexicalSyntacticFeaturizer"},
        {"name": "CountVectorsFeaturizer"},
        {"name": "CountVectorsFeaturizer", "analyzer": "char_wb", "min_ngram": 1,
         "max_ngram": 4},
        {"name": "DIETClassifier", "epochs": EPOCHS, "constrain_similarities": True},
        {"name": "EntitySynonymMapper"},
    ]
    pipeline += [
        {"name": "ResponseSelector", "epochs": EPOCHS, "retrieval_intent": group,
         "constrain_similarities": True}
        for group in retrieval_groups
    ]
    pipeline.append({"name": "FallbackClassifier", "threshold": nlu.answer_threshold,
                     "ambiguity_threshold": nlu.ambiguity_threshold})
    return {
        "recipe": "default.v1",
        "language": "en",
        "assistant_id": assistant_id,
        "pipeline": pipeline,
        "policies": [{"name": "RulePolicy", "core_fallback_threshold": 0.3,
                      "enable_fallback_prediction": True}],
    }

import pytest

from bot.nlu.normalize import fold, normalize, stem, synonym_map, tokenize, word_root


def test_fold_strips_case_and_accents():
    assert fold("Élysée ÇA Überall") == "elysee ca uberall"


def test_contractions_and_punctuation():
    assert normalize("What's Mistral's revenue??") == "what is mistral revenue"
    assert normalize("I don't know, can't say!") == "i do not know cannot say"
    assert normalize("whos the ceo") == "who is the ceo"
    assert normalize("thats it, theres more") == "that is it there is more"
    assert normalize("it\u2019s fine") == "it is fine"


def test_numbers_and_money_survive():
    assert normalize("$4.5 billion, 20%") == "$4.5 billion 20%"


def test_synonyms_map_phrases_to_their_value():
    synonyms = synonym_map([("a16z", "andreessen horowitz"), ("Chief Executive", "ceo")])
    assert normalize("Did a16z invest?", synonyms) == "did andreessen horowitz invest"
    assert normalize("who is the chief executive", synonyms) == "who is the ceo"
    # Longest phrases are tried first, and only whole words are replaced.
    assert normalize("chief executives", synonyms) == "chief executives"


def test_bad_input_gives_empty_tokens():
    assert tokenize("") == []
    assert tokenize("?!... ---") == []
    assert tokenize("\x00\x01\x02") == []
    assert len(tokenize("word " * 20000)) == 20000


def test_stem_meets_word_forms():
    assert stem("investors") == stem("investor")
    assert stem("investing") == stem("invested") == "invest"
    assert stem("chatting") == "chat"
    assert stem("business") == "business"
    assert stem("ceo") == "ceo"


def test_a_plural_in_ies_meets_its_singular_in_y():
    # "do they grow strawberries" and an answer saying "strawberry" share the word
    assert stem("strawberries") == stem("strawberry") == "strawberry"
    assert stem("companies") == stem("company")
    assert stem("carried") == stem("carries") == stem("carrying") == stem("carry")


def test_an_agent_noun_of_a_short_verb_keeps_its_ending():
    # "maker" is no form of "making" (nor "baker" of "baking"); longer stems still meet
    assert stem("maker") == stem("makers") == "maker"
    assert stem("maker") != stem("making")
    assert stem("founder") == stem("founded") == "found"
    assert stem("leaders") == stem("leading") == "lead"


def test_a_word_and_its_family_share_a_root():
    assert word_root("foundational") == word_root("foundation") == "foundation"
    assert word_root("independence") == word_root("independent")
    assert word_root("sovereignty") == word_root("sovereign")
    assert word_root("european") == word_root("europe")
    # too little is left of these to tell a family from a coincidence
    assert word_root("general") != word_root("generation")
    assert word_root("cost") is None and word_root("b2b") is None



@pytest.mark.parametrize(("text", "normalized"), [
    ("from 20m to 400m", "from 20 million to 400 million"),
    ("it raised $4b", "it raised $4 billion"),
    ("1.5bn in debt", "1.5 billion in debt"),
    ("what licence is mistral 7b under", "what licence is mistral 7b under"),
    ("my 401k balance", "my 401k balance"),
])
def test_money_shorthand_is_written_out(text, normalized):
    assert normalize(text) == normalized

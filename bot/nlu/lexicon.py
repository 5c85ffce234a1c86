"""General English words that rarely carry what a question is about.

This is language knowledge, not knowledge of any particular knowledge base: articles,
pronouns, auxiliaries, prepositions, conjunctions and chat fillers ("pls", "anyway",
"a bunch"). Question words (who, when, how much...) are deliberately absent: they tell
"who founded it" from "when was it founded"; so are prepositions of direction in time or
space (before, after, above, below): "the year after" is not "the year before". The
matcher gives these words a small weight when it measures how much of a message an
intent covers, and never "corrects" them as typos, so "whats ur source" or "thanks a
bunch" are not mistaken for off-topic questions, while an unknown name ("google",
"openai") still counts fully.
"""

from __future__ import annotations

_WORDS = """
a an the this that these those there here is are was were be been being am do does did
doing done have has had having will would shall should can could may might must cannot
ought i me my mine myself you your yours yourself u ur ya ye he him his she her hers it
its itself we us our ours they them their theirs one someone something anything
everything anyone anybody everyone everybody somebody nobody nothing
of in on at to for from by with about as into onto over under up down out off
through during between among around via per than then and or
but if so because while though although nor either neither not no yes yeah yep nope nah just
really actually anyway anyways basically literally please pls plz kindly ok okay k hey
hmm um uh oh ah well like lol btw thx some any all each every bit lot lots bunch very
too also again now still even quite rather pretty such only own same other another know
tell say said want wanna gonna gotta need let get got give show explain mean wondering
wonder curious question quick quickly little kind sort maybe think thought guess hear
heard find out
"""
FUNCTION_WORDS = frozenset(_WORDS.split())
# Question words: they tell questions apart, but a message made only of them and function
# words ("why?", "how so", "how much?") says nothing about its subject. "much" and "many"
# belong here: in "how much should i tip" they ask for an amount, they name no subject.
QUESTION_WORDS = frozenset(
    ["who", "whom", "whose", "what", "when", "where", "why", "how", "which", "much", "many"]
)

"""What to do about a YAML syntax error: a hint for each of PyYAML's usual messages."""

from __future__ import annotations

_HINTS = (
    ("mapping values are not allowed here",
     "a value that contains ': ' must be quoted, e.g. text: \"Hi there: welcome\""),
    ("found character '\\t' that cannot start any token",
     "indent with spaces, not tabs"),
    ("could not find expected ':'",
     "a key needs ': ' after it; a value that goes on over several lines must be quoted "
     "or written as a block ('|')"),
    ("found undefined alias",
     "an alias (*name) needs an anchor (&name) defined above it"),
    ("found unexpected end of stream",
     "a quote or bracket is not closed"),
    ("found unknown escape character",
     "in double quotes a backslash starts an escape: use single quotes, or write \\\\"),
    ("did not find expected key",
     "check the indentation: keys of one mapping start in the same column"),
    ("did not find expected '-' indicator",
     "check the indentation: items of one list start with '- ' in the same column"),
    ("expected <block end>",
     "check the indentation: this line is indented differently from the lines above"),
    ("that cannot start any token",
     "a value starting with @, ` or % must be quoted"),
    ("found duplicate anchor",
     "give each anchor (&name) a different name"),
)


def syntax_hint(problem: str) -> str:
    """Return what to do about PyYAML's ``problem`` message, or "" when there is no hint.

    Args:
        problem: The ``problem`` text of a ``yaml.MarkedYAMLError``.

    Returns:
        A short instruction, such as "a value that contains ': ' must be quoted".
    """
    for pattern, hint in _HINTS:
        if pattern in problem:
            return hint
    return ""

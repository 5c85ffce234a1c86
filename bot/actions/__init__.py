"""Custom actions, as rasa_sdk ``Action`` classes.

Run them in a rasa_sdk action server with ``python -m rasa_sdk --actions bot.actions``, or
in-process through :mod:`bot.action_client`. The answers are computed from ``facts.yml``
(:mod:`bot.actions.facts`); the wording lives in ``*_answers`` modules, which do not import
rasa_sdk, and the ``Action`` classes in :mod:`bot.actions.investors` and
:mod:`bot.actions.revenue` are thin wrappers around them.
"""

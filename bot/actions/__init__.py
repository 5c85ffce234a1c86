"""Custom actions, as rasa_sdk ``Action`` classes.

Run them in a rasa_sdk action server (``python -m rasa_sdk --actions bot.actions``; in a
project written by ``faqbot export rasa``, this folder is ``actions/`` and ``rasa run
actions`` serves it), or in-process through :mod:`bot.action_client`. The answers are
computed from ``facts.yml`` (:mod:`.facts`); the wording lives in the ``*_answers``
modules, which do not import rasa_sdk, and the ``Action`` classes in :mod:`.investors` and
:mod:`.revenue` are thin wrappers around them. Nothing here imports the rest of faqbot:
rasa_sdk (and ruamel.yaml, which it brings) is all the package needs.
"""

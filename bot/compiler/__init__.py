"""Compiler layer: seed documents (Markdown or plain-text articles) to Rasa 3.x YAML.

Modules: :mod:`document` (parsing), :mod:`facts` (fact and FAQ entries, topics),
:mod:`examples` (phrasings people type), :mod:`writer` (YAML output),
:mod:`pipeline` (the whole run, merged with curated files).
"""

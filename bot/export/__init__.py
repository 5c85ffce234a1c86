"""Export the knowledge base as a project Rasa Open Source 3.x trains and runs unchanged.

:func:`bot.export.project.export_rasa_project` writes ``data/`` (the YAML as it is),
``data/rules.yml`` (the rules faqbot applies without being told), ``domain.yml``,
``config.yml``, ``endpoints.yml``, ``credentials.yml`` and ``actions/`` (the custom
actions). Each file is built by a module of its own from the loaded knowledge base.
"""

"""faqbot: an FAQ chatbot whose knowledge lives in Rasa-format YAML."""

__version__ = "0.1.0"

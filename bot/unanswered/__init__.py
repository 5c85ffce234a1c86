"""A durable log of the questions the bot could not answer, for ``faqbot review``."""

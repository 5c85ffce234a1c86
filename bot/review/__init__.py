"""Review what users asked and the bot could not answer; teach it new phrasings."""

"""Text mining: sentences, part-of-speech tags, noun phrases, unification, thesaurus, relevance."""

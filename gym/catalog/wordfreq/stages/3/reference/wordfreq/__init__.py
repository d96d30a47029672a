"""wordfreq: the most frequent words of a text file."""

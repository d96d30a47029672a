"""One module per tool-call format; each holds one :class:`~brain.toolcalls.FormatParser`."""

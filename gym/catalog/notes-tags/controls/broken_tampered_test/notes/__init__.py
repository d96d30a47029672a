"""notes: a small note-taking command line, persisted to notes.json in the cwd."""

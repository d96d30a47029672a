"""todo: a to-do list command line, persisted to todo.json in the current directory."""

"""Built-in tasks (contract 1), one directory per task holding ``task.toml``."""

from pathlib import Path

CATALOG_DIR = Path(__file__).parent

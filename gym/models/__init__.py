"""Real models for a laptop: tiny GGUF weights shipped as packages, served by llama.cpp.

``gym models serve smollm2 --port 8011`` starts llama-cpp-python's OpenAI-compatible
server on 127.0.0.1 and prints the node URL to put in ``--fleet`` or ``--brain``. The
same :class:`LlamaServer` backs the ``real`` test tier and the real-model benchmark.
Install with the ``real`` extra (``pip install 'swarm-gym[real]'``).
"""

from gym.models._known import KNOWN_MODELS, KnownModel, model_path
from gym.models._server import LlamaServer, ModelsError

__all__ = ["KNOWN_MODELS", "KnownModel", "LlamaServer", "ModelsError", "model_path"]

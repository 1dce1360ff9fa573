"""lcgraph: a knowledge graph and SPARQL service about learning communities in the topsectoren."""

from lcgraph.config import Settings
from lcgraph.errors import LcgraphError

__version__ = "0.1.0"
__all__ = ["LcgraphError", "Settings", "__version__"]

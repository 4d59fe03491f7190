"""egovkg: a knowledge graph of the factors that drive, challenge and enable governments' use of social media."""

__version__ = "0.1.0"

"""One router per concern; ``api.main`` includes them."""

"""The SPARQL 1.1 Protocol endpoint's machinery: content negotiation, query inspection, result serialization and
the pool of killable worker processes that enforces the deadline. Kept free of web-framework imports so that a
worker process starts fast."""

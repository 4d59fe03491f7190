"""Names and media types of the dump files, shared by the build, the VoID description and the dumps route."""

DUMP_FILES: dict[str, tuple[str, str]] = {
    "turtle": ("egovkg.ttl", "text/turtle"),
    "ntriples": ("egovkg.nt", "application/n-triples"),
    "jsonld": ("egovkg.jsonld", "application/ld+json"),
    "trig": ("egovkg.trig", "application/trig"),
    "nquads": ("egovkg.nq", "application/n-quads"),
}

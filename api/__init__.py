"""egovkg web API: GraphQL for research portals, SPARQL and linked data, pages for people."""

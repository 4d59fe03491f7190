"""Vocabularies used in code: the egovkg ontology as a closed DefinedNamespace, and the data namespaces."""

from rdflib import Namespace, URIRef
from rdflib.namespace import DefinedNamespace

BASE = "https://w3id.org/egovkg/"
"""The canonical base under which every IRI of the project lives (see ``kg.config`` to serve it elsewhere)."""


class EGOV(DefinedNamespace):
    """The egovkg ontology (``ontology/``); a test checks that this list matches the ontology's terms."""

    _NS = Namespace(BASE + "ontology/")
    _fail = True

    # classes
    Claim: URIRef
    Country: URIRef
    Dimension: URIRef
    Evidence: URIRef
    ExternalFactorMention: URIRef
    FactorConcept: URIRef
    FactorMention: URIRef
    FactorRelation: URIRef
    Fieldwork: URIRef
    InternalFactorMention: URIRef
    Interpretation: URIRef
    Method: URIRef
    MethodKind: URIRef
    Polarity: URIRef
    Purpose: URIRef
    Recommendation: URIRef
    Region: URIRef
    RelationType: URIRef
    ResearchFocus: URIRef
    Role: URIRef
    Statistic: URIRef
    Study: URIRef
    UniqueFindingClaim: URIRef
    # properties
    addresses: URIRef
    audience: URIRef
    authors: URIRef
    citedSource: URIRef
    codingStage: URIRef
    comparedWith: URIRef
    concept: URIRef
    concernsConcept: URIRef
    concernsFactor: URIRef
    country: URIRef
    dimension: URIRef
    effect: URIRef
    endDate: URIRef
    evidence: URIRef
    evidenceKind: URIRef
    fieldwork: URIRef
    fromFactor: URIRef
    groupCount: URIRef
    inconsistencyNote: URIRef
    interpretation: URIRef
    interpretedProperty: URIRef
    justification: URIRef
    labelAsWritten: URIRef
    makesClaim: URIRef
    makesRecommendation: URIRef
    methodKind: URIRef
    participants: URIRef
    polarity: URIRef
    positionInCell: URIRef
    purpose: URIRef
    quote: URIRef
    referenceDate: URIRef
    region: URIRef
    relationType: URIRef
    reportedIn: URIRef
    reportsFactor: URIRef
    reportsStatistic: URIRef
    researchFocus: URIRef
    reviews: URIRef
    role: URIRef
    rolePolarity: URIRef
    sampleSize: URIRef
    section: URIRef
    sessionCount: URIRef
    softwareTool: URIRef
    speaker: URIRef
    startDate: URIRef
    table: URIRef
    table1Heading: URIRef
    table2Heading: URIRef
    tableCell: URIRef
    tableLabel: URIRef
    tableRow: URIRef
    toFactor: URIRef
    unit: URIRef
    usesMethod: URIRef
    value: URIRef
    venue: URIRef


ONTOLOGY_IRI = URIRef(BASE + "ontology/")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")
STUDY = Namespace(BASE + "id/study/")
MENTION = Namespace(BASE + "id/mention/")
CONCEPT = Namespace(BASE + "id/concept/")
DIMENSION = Namespace(BASE + "id/dimension/")
ROLE = Namespace(BASE + "id/role/")
POLARITY = Namespace(BASE + "id/polarity/")
PLACE = Namespace(BASE + "id/place/")
SCHEME = Namespace(BASE + "id/scheme/")
AGENT = Namespace(BASE + "id/agent/")
SHAPES = Namespace(BASE + "shapes/")
BIBO = Namespace("http://purl.org/ontology/bibo/")
DATASET_IRI = URIRef(BASE + "dataset")

PREFIXES: dict[str, str] = {
    "egov": str(EGOV._NS),
    "study": str(STUDY),
    "m": str(MENTION),
    "fc": str(CONCEPT),
    "dim": str(DIMENSION),
    "role": str(ROLE),
    "pol": str(POLARITY),
    "place": str(PLACE),
    "scheme": str(SCHEME),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "bibo": str(BIBO),
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
}

"""One-off generator for kg/data/concepts.ttl (kept for the record; the .ttl file is the source)."""
import pathlib

OUT = pathlib.Path(__file__).resolve().parents[1] / "kg/data/concepts.ttl"
C = [  # key, prefLabel, definition, broader, related, altLabels, note
("citizen-participation","Citizen participation and readiness","A social factor consisting of the public's readiness, uptake and activity in engaging with government and public affairs through social media.",None,["netizen-maturity"],["User adoption","Social readiness","Rising citizen participation"],None),
("netizen-maturity","Maturity of internet users","A social factor consisting of how far internet users engage with government in an informed and constructive way.",None,["citizen-participation"],[],None),
("digital-divide","Digital divide and access","A social factor consisting of unequal access to social media and unequal ability to use it across the population.",None,[],["Accessibility","Access and social inclusion"],None),
("device-pervasiveness","Pervasiveness of devices and technology penetration","A technological factor consisting of how widely personal computers, smartphones, tablets and internet access have spread in society.","technology",[],["Technology penetration","technology readiness"],None),
("technology","Technology","A factor covering technology in general as a condition of government social media use.",None,[],[],None),
("technology-infrastructure","Government ICT infrastructure and capability","A technological factor consisting of the hardware, software, networks and technical capability that government agencies have for running social media.","technology",[],["Technology capabilities"],None),
("technological-change","Rapid technological change and substitution","A technological factor consisting of the speed at which platforms rise and fall, so that a medium may be replaced before investments in it pay off.","technology",[],["Fast pace of change in environment","Technological substitution"],None),
("international-influence","International influence","A political factor consisting of governments adopting social media because governments and officials in other countries do so.",None,[],[],"The source paper names it one of three findings unique to China (section 5.4)."),
("public-trust","Public trust in government","A political factor consisting of the degree to which citizens believe what government says and does.",None,["public-perception"],["Low trust in government"],None),
("public-perception","Perception of government social media","A factor consisting of how government use of social media is regarded, inside and outside government.",None,["public-trust"],["perception"],None),
("laws-and-regulations","Laws, regulations and policy framework","A political and legal factor consisting of the laws, regulations, policies and formal institutions that frame government social media use.",None,[],["Legal and regulatory ramifications","Institutional framework","legal issues"],None),
("political-risk","Political risk","A political factor consisting of the political consequences that social media use may have for an agency or its officials.",None,[],["political intelligence"],None),
("contextual-factors","General context","A factor covering the wider social, economic and political context in which a government social media project takes place.",None,[],["Contextual factors","General context"],None),
("governance-and-institutions","Governance and management institutions","An organizational factor consisting of which unit is responsible for social media and by which internal rules, mechanisms and guidelines it is run.",None,[],["governance","Lack of competent management institution","lack of institutions"],None),
("organizational-structure-and-processes","Organizational structure and processes","An organizational factor consisting of how an agency's units and work processes are arranged for using social media.",None,["centralized-review-process"],["Process design","process implementation"],None),
("centralized-review-process","Centralized review process","An organizational factor consisting of multi-level approval of content by senior leaders before it may be posted, and the centralised power behind it.",None,["organizational-structure-and-processes"],["Hierarchical process and centralized power"],"Related to, not narrower than, organizational structure and processes: the source paper calls this specific mechanism unique to China (section 5.4), and the Western studies name only the general category, so the link is kept as related."),
("leadership-support","Leadership attention and support","An organizational factor consisting of the attention, backing and resources that leaders give to an agency's social media.",None,["symbolic-use"],["lack of support from leadership","Low leadership attention and supports"],None),
("resources","Resources","An organizational factor consisting of the money, people and time an agency can devote to social media.",None,[],["Resources"],None),
("funding","Funding","An organizational factor consisting of the budget available for operating social media, including staff, training and equipment costs.","resources",[],["budgetary","Costs","Lack of funds"],None),
("staffing","Designated staffing","An organizational factor consisting of whether posts are dedicated to social media work rather than assigned part-time or by rotation.","resources",[],["Lack of designated staff"],None),
("skills-and-training","Skills, expertise and training","An organizational factor consisting of the knowledge and abilities staff have for social media and the training that builds them.",None,[],["lack of expertise","training","Lack of skills"],None),
("business-case","Business case","An organizational factor consisting of the justification of social media use in terms of its costs and benefits to the agency.",None,["competing-priorities"],["making a business case"],None),
("competing-priorities","Competing priorities","An organizational factor consisting of other tasks taking precedence over social media in an agency's attention.",None,["business-case"],["Higher priorities take precedence"],None),
("organizational-culture","Organizational and administrative culture","An organizational factor consisting of the shared values and habits of an agency that shape how openly it engages with the public.",None,["citizen-orientation"],["Administrative culture","Closed and risk-averse culture"],None),
("culture-of-transparency","Culture of transparency","An organizational factor consisting of openness embedded as a value in the governance system.","organizational-culture",["transparency"],[],None),
("cross-boundary-collaboration","Cross-boundary collaboration","An organizational factor consisting of information sharing and joint work across departments and organizations.",None,[],["Lack of horizontal collaboration","Interorganizational collaboration and networks"],None),
("marketing","Marketing and promotion","A communication factor consisting of the efforts an agency makes to make its social media accounts known and followed.","communication",[],[],None),
("communication","Communication","A factor covering how an agency communicates with the public through social media.",None,[],[],None),
("interaction-and-responsiveness","Interaction and responsiveness","A communication factor consisting of whether an agency listens and replies to the public rather than only broadcasting.","communication",[],["Selective listening and response","low level of interactions"],None),
("language-style","Language style","A communication factor consisting of the tone and form of an agency's posts, from rigid and official to lively.","communication",[],[],None),
("presentation-consistency","Consistency of identity","A communication factor consisting of whether an agency presents one recognisable identity across accounts.","communication",[],[],None),
("activity-continuity","Continuity of activity","A communication factor consisting of how often and how long an account keeps posting.","communication",[],[],None),
("symbolic-use","Symbolic use","An organizational factor consisting of running accounts for display or show rather than for service and interaction.",None,["leadership-support"],["the \"show\" effect"],None),
("expectation-gap","Expectation gap","A social factor consisting of the distance between what users expect of government accounts and what the accounts achieve.",None,[],[],None),
("citizen-orientation","Citizen orientation of content","An information factor consisting of whether content serves the public's needs rather than the agency's self-presentation.",None,["organizational-culture"],[],None),
("transparency","Transparency","An information factor consisting of how much government information and decision making is open to the public.",None,["culture-of-transparency"],[],None),
("information-resources","Government information resources","An information factor consisting of the information and data government holds that it can publish through social media.",None,[],["Information and data","Abundant information resources"],None),
("information-quality","Information quality","An information factor consisting of the accuracy, authority and relevance of information that is posted.",None,[],["accuracy","Irrelevant information"],None),
("information-overload","Information overload","An information factor consisting of more information reaching agencies or the public than they can handle.",None,[],[],None),
("archiving","Archiving and records management","An information factor consisting of keeping social media content as public records.",None,[],[],None),
("privacy","Privacy","An information factor consisting of the protection of personal information of users and staff.",None,["information-security"],[],None),
("information-security","Information security","An information factor consisting of protecting government accounts, systems and information against intrusion, misuse and leaks.",None,["privacy"],["Security","Security restrictions"],None),
("hacking","Hacking and account intrusion","An information security factor consisting of attacks that break into or deface government accounts.","information-security",[],["Hacker"],None),
("confidentiality","Confidentiality of government information","An information security factor consisting of the risk that confidential government information is disclosed, and its use as a reason not to publish.","information-security",[],["Threats to confidentiality"],None),
("opinion-disorder","Disorder of online public opinion","A social factor consisting of online opinion that is disorderly, aggressive or manipulated, so that real public opinion is hard to read.",None,[],["opinion disorder"],None),
("water-army","Paid posting (\"water army\")","A social factor consisting of people paid to post comments that manipulate or hide real public opinion for commercial or political ends.","opinion-disorder",[],["water army","Internet water army"],"The source paper names it one of three findings unique to China (section 5.4)."),
("verbal-aggression","Verbal aggression","A social factor consisting of abusive or aggressive language directed at government accounts.","opinion-disorder",[],[],None),
("emotional-expression","Emotional expression","A social factor consisting of emotional posts that distort the judgement of public opinion.","opinion-disorder",[],["Emotional expressions"],None),
]
def lit(s): return '"' + s.replace('"', '\\"') + '"'
keys = {c[0] for c in C}
L = ["""# The factor concept scheme: canonical factors to which every factor mention is aligned.
# The scheme, its hierarchy and every alignment are interpretations of the egovkg curators, not statements of the source paper.
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix egov:    <https://w3id.org/egovkg/ontology/> .
@prefix fc:      <https://w3id.org/egovkg/id/concept/> .
@prefix scheme:  <https://w3id.org/egovkg/id/scheme/> .
@prefix agent:   <https://w3id.org/egovkg/id/agent/> .

agent:curators a prov:Agent , foaf:Organization ;
    rdfs:label "egovkg curators"@en ;
    foaf:name "egovkg curators" .

scheme:factors a skos:ConceptScheme ;
    skos:prefLabel "Factors of government social media use"@en ;
    skos:definition "A concept scheme of canonical factors to which the factor mentions of all studies are aligned so that studies can be compared."@en ;
    prov:wasAttributedTo agent:curators ;
    skos:hasTopConcept """ + " , ".join(f"fc:{c[0]}" for c in C if not c[3]) + " .\n"]
for key, pref, d, broader, related, alts, note in C:
    assert broader is None or broader in keys, broader
    assert all(r in keys for r in related), related
    p = [f"fc:{key} a egov:FactorConcept ;", "    skos:inScheme scheme:factors ;"]
    p.append(f"    skos:broader fc:{broader} ;" if broader else "    skos:topConceptOf scheme:factors ;")
    if related: p.append("    skos:related " + " , ".join(f"fc:{r}" for r in related) + " ;")
    p.append(f"    skos:prefLabel {lit(pref)}@en ;")
    alts = [a for a in dict.fromkeys(alts) if a.lower() != pref.lower()]
    if alts: p.append("    skos:altLabel " + " , ".join(f"{lit(a)}@en" for a in alts) + " ;")
    if note: p.append(f"    skos:scopeNote {lit(note)}@en ;")
    p.append(f"    skos:definition {lit(d)}@en ;")
    p.append("    prov:wasAttributedTo agent:curators .")
    L.append("\n".join(p) + "\n")
# skos:related is symmetric: check both directions are written
rel = {(c[0], r) for c in C for r in c[4]}
missing = [(a, b) for a, b in rel if (b, a) not in rel]
assert not missing, missing
OUT.write_text("\n".join(L))
print(len(C), "concepts")

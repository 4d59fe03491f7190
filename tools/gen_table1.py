"""One-off generator for kg/data/studies/*.ttl of the 16 studies in Table 1 (kept for the record; the .ttl files are the source)."""
import pathlib
import re

OUT = pathlib.Path(__file__).resolve().parents[1] / "kg/data/studies"
PRE = """@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix bibo:    <http://purl.org/ontology/bibo/> .
@prefix egov:    <https://w3id.org/egovkg/ontology/> .
@prefix study:   <https://w3id.org/egovkg/id/study/> .
@prefix m:       <https://w3id.org/egovkg/id/mention/> .
@prefix fc:      <https://w3id.org/egovkg/id/concept/> .
@prefix interp:  <https://w3id.org/egovkg/id/interpretation/> .
@prefix method:  <https://w3id.org/egovkg/id/method/> .
@prefix place:   <https://w3id.org/egovkg/id/place/> .
@prefix agent:   <https://w3id.org/egovkg/id/agent/> .
@prefix dim:     <https://w3id.org/egovkg/id/dimension/> .
@prefix role:    <https://w3id.org/egovkg/id/role/> .
@prefix focus:   <https://w3id.org/egovkg/id/focus/> .
@prefix purpose: <https://w3id.org/egovkg/id/purpose/> .
@prefix mkind:   <https://w3id.org/egovkg/id/method-kind/> .
"""
DIMS = ["social-economic", "political-legal-policy", "organizational-managerial", "information", "technological"]
WEST = "Section 5.4 compares China's findings with 'prior studies conducted in western countries', i.e. the non-Chinese studies of Table 1."
CHINA = "Section 2 introduces this study among those by 'Chinese scholars' of 'Chinese government use of microblogging'."
# key: (row, table label, authors, year, title, venue, extra bib dict, focus, purposes, country, country-justification, region-justification,
#       cells: list per dimension of (cell text, [(label as written, [concepts], justification)]))
S = {}
def st(key, row, label, authors, year, title, venue, cite, focus, purposes, country, cj, region, rj, cells, bib=None, note=None, methods=None):
    S[key] = dict(row=row, label=label, authors=authors, year=year, title=title, venue=venue, cite=cite, focus=focus,
                  purposes=purposes, country=country, cj=cj, region=region, rj=rj, cells=cells, bib=bib or {}, note=note, methods=methods or [])

st("ctg-2009", 1, "Center for Technology in Government (2009)", "Center for Technology in Government", 2009,
   "Exploratory Social Media Project Phase I: Identifying benefits and concerns surrounding use of social media in government", None,
   "Center for Technology in Government (2009). Exploratory Social Media Project Phase I: Identifying benefits and concerns surrounding use of social media in government.",
   "social-media-in-general", ["general-purposes"], None, None, "western", WEST,
   [("Accessibility", [("Accessibility", ["digital-divide"], "Accessibility concerns whether all citizens can reach government on social media, the access side of the digital divide.")]),
    ("Legal and regulatory ramifications, political risks", [("Legal and regulatory ramifications", ["laws-and-regulations"], "Legal and regulatory ramifications are the legal framework's bearing on social media use."),
                                                             ("political risks", ["political-risk"], "Named directly as political risk.")]),
    ("Resources, governance, making a business case, perception", [("Resources", ["resources"], "Named directly as resources, the general category covering funds, staff and time."),
                                                                   ("governance", ["governance-and-institutions"], "Governance of social media is who manages it and by which internal rules."),
                                                                   ("making a business case", ["business-case"], "Named directly as the business case for social media."),
                                                                   ("perception", ["public-perception"], "Perception is how social media use by government is regarded, recorded as its own concept.")]),
    ("Security, information overload", [("Security", ["information-security"], "Named directly as security of government information and accounts."),
                                        ("information overload", ["information-overload"], "Named directly as information overload.")]),
    ("Fast pace of change in environment", [("Fast pace of change in environment", ["technological-change"], "The fast pace of change in the technical environment is the same factor as rapid technological change and substitution.")])])
st("hci-2010", 2, "Human Capital Institute (2010)", "Human Capital Institute", 2010,
   "Social networking in government: Opportunities and challenges", None,
   "Human Capital Institute (2010). Social networking in government: Opportunities and challenges.",
   "social-media-in-general", ["general-purposes"], None, None, "western", WEST,
   [("User adoption", [("User adoption", ["citizen-participation"], "User adoption is the public's take-up of government social media, the uptake side of citizen participation.")]),
    ("Higher priorities take precedence", [("Higher priorities take precedence", ["competing-priorities"], "Named directly as other priorities taking precedence.")]),
    ("Difficulty in building a compelling business case, lack of support from leadership, lack of expertise, budgetary",
     [("Difficulty in building a compelling business case", ["business-case"], "Named directly as the business case."),
      ("lack of support from leadership", ["leadership-support"], "Named directly as lack of leadership support."),
      ("lack of expertise", ["skills-and-training"], "Lack of expertise is the skills gap of staff."),
      ("budgetary", ["funding"], "Budgetary barriers are lack of funding.")]),
    ("Security restrictions", [("Security restrictions", ["information-security"], "Security restrictions are the security concern that limits use.")]),
    ("", [])])
st("staiou-gouscos-2010", 3, "Staiou and Gouscos (2010)", "Staiou, E. R., & Gouscos, D.", 2010,
   "Socializing E-governance: A parallel study of participatory E-governance and emerging social media", "Comparative E-Government",
   "Staiou, E. R., & Gouscos, D. (2010). Socializing E-governance: A parallel study of participatory E-governance and emerging social media. Comparative E-Government, 25, 543–559. http://dx.doi.org/10.1007/978-1-4419-6536-3_28.",
   "social-media-in-general", ["participatory-e-governance"], None, None, "western", WEST,
   [("Contextual factors", [("Contextual factors", ["contextual-factors"], "Named directly as the context in which projects are inscribed.")]),
    ("Contextual factors", [("Contextual factors", ["contextual-factors"], "Named directly as the context in which projects are inscribed.")]),
    ("Process design, and process implementation", [("Process design", ["organizational-structure-and-processes"], "Design of participation processes is an organizational process factor."),
                                                    ("process implementation", ["organizational-structure-and-processes"], "Implementation of participation processes is an organizational process factor.")]),
    ("", []), ("", [])],
   bib={"volume": "25", "pages": "543–559", "doi": "10.1007/978-1-4419-6536-3_28"})
st("bryer-2011", 4, "Bryer (2011)", "Bryer, T. A.", 2011,
   "Cost of democratization: Social media adaption challenges within government agencies", "Administrative Theory and Praxis",
   "Bryer, T. A. (2011). Cost of democratization: Social media adaption challenges within government agencies. Administrative Theory and Praxis, 33(3).",
   "social-media-in-general", ["public-participation"], None, None, "western", WEST,
   [("", []),
    ("Formal institution and political intelligence", [("Formal institution", ["laws-and-regulations"], "Formal institutions are the formal rules that filter social media use; Table 1 puts them under political, legal and policy."),
                                                       ("political intelligence", ["political-risk"], "Political intelligence is reading the political consequences of social media use.")]),
    ("Administrative culture, organizational culture", [("Administrative culture", ["organizational-culture"], "Administrative culture is the culture of government organizations."),
                                                        ("organizational culture", ["organizational-culture"], "Named directly as organizational culture.")]),
    ("", []), ("", [])],
   bib={"volume": "33", "issue": "3"})
st("bertot-2010", 5, "Bertot et al. (2010)", "Bertot, John C., Jaeger, Paul T., & Grimes, Justin M.", 2010,
   "Using ICTs to create a culture of transparency: E-government and social media as openness and anti-corruption tools for societies", "Government Information Quarterly",
   "Bertot, John C., Jaeger, Paul T., & Grimes, Justin M. (2010). Using ICTs to create a culture of transparency: E-government and social media as openness and anti-corruption tools for societies. Government Information Quarterly, 27(3), 264–271.",
   "social-media-in-general", ["transparency"], None, None, "western", WEST,
   [("Social readiness, technology penetration", [("Social readiness", ["citizen-participation"], "Section 2: the populace's social readiness and desire for open government, i.e. the public's readiness to participate."),
                                                 ("technology penetration", ["device-pervasiveness"], "Technology penetration in society is the spread of devices and access that government use builds on.")]),
    ("", []),
    ("Culture of transparency access of government agencies", [("Culture of transparency", ["culture-of-transparency"], "Section 2 names the culture of transparency embedded in the governance system as one success factor."),
                                                                ("access of government agencies", ["technology-infrastructure"], "Section 2 lists 'technology capabilities and access of government agencies' as transparency readiness: agencies' access to technology.")]),
    ("", []),
    ("Technology capabilities, technology readiness", [("Technology capabilities", ["technology-infrastructure"], "Section 2: technology capabilities of government agencies, i.e. their ICT infrastructure."),
                                                       ("technology readiness", ["device-pervasiveness"], "Section 2: the technology readiness of the populace, i.e. the spread of devices and skills in society.")])],
   bib={"volume": "27", "issue": "3", "pages": "264–271"},
   note="Table 1 packs 'Culture of transparency' and 'access of government agencies' into one cell without a separator; section 2 shows them to be two factors.")
st("li-2010", 6, "Li et al. (2010)", "Li, D., Zhou, M. Y., & Yang, Y.", 2010,
   "The impact of internet on the relationship between government and netizens: A case study on Wuhao's microblogs", "Journalism Knowledge",
   "Li, D., Zhou, M. Y., & Yang, Y. (2010). The impact of internet on the relationship between government and netizens: A case study on Wuhao's microblogs. Journalism Knowledge, 2010(8).",
   "microblogging", ["government-netizen-relationship"], "china", CHINA, None, None,
   [("Immaturity of internet users", [("Immaturity of internet users", ["netizen-maturity"], "Named directly as the maturity of internet users.")]),
    ("", []),
    ("Selective listening and response; the \"show\" effect; mismatch between users' expectations and actual effects",
     [("Selective listening and response", ["interaction-and-responsiveness"], "Selective listening and response is a failure of responsiveness to the public."),
      ("the \"show\" effect", ["symbolic-use"], "The 'show' effect is use of microblogs for display rather than substance."),
      ("mismatch between users' expectations and actual effects", ["expectation-gap"], "Named directly as the gap between expectations and effects.")]),
    ("", []), ("", [])], bib={"issue": "2010(8)"})
st("bertot-2012", 7, "Bertot et al. (2012)", "Bertot, J. C., Jaeger, P. T., & Hansen, D.", 2012,
   "The impact of policies on government social media usage: Issues, challenges, and recommendations", "Government Information Quarterly",
   "Bertot, J. C., Jaeger, P. T., & Hansen, D. (2012). The impact of policies on government social media usage: Issues, challenges, and recommendations. Government Information Quarterly, 29(1), 30–40. http://dx.doi.org/10.1016/j.giq.2011.04.004.",
   "social-media-in-general", ["general-purposes"], "united-states", "Section 2: it examines the regulatory framework as it applies to social media use 'by the U.S. federal government'.", "western", WEST,
   [("Access and social inclusion", [("Access and social inclusion", ["digital-divide"], "Access and social inclusion is the policy answer to the digital divide.")]),
    ("", []),
    ("Governing and government", [("Governing and government", ["governance-and-institutions"], "Section 2 calls this objective 'governing and governance': how social media use is governed.")]),
    ("Privacy, security, accuracy and archiving", [("Privacy", ["privacy"], "Named directly as privacy."),
                                                   ("security", ["information-security"], "Named directly as security."),
                                                   ("accuracy", ["information-quality"], "Accuracy is a property of information quality."),
                                                   ("archiving", ["archiving"], "Named directly as archiving.")]),
    ("", [])],
   bib={"volume": "29", "issue": "1", "pages": "30–40", "doi": "10.1016/j.giq.2011.04.004"},
   note="Table 1 writes 'Governing and government'; section 2 writes the same objective as 'governing and governance'. Recorded as Table 1 gives it.")
st("cui-2011", 8, "Cui (2011)", "Cui, X. J.", 2011,
   "Government microblogs in China: Status, problems and recommendations", "Journal of Party and Government Personnel",
   "Cui, X. J. (2011). Government microblogs in China: Status, problems and recommendations. Journal of Party and Government Personnel, 2011(11).",
   "microblogging", ["general-purposes"], "china", CHINA, None, None,
   [("", []),
    ("Lack of laws and regulations", [("Lack of laws and regulations", ["laws-and-regulations"], "Named directly as laws and regulations.")]),
    ("Lack of operating mechanisms, lack of marketing measures", [("Lack of operating mechanisms", ["governance-and-institutions"], "Operating mechanisms are the internal arrangements that govern microblog management."),
                                                                  ("lack of marketing measures", ["marketing"], "Named directly as marketing.")]),
    ("", []), ("", [])], bib={"issue": "2011(11)"})
st("kavanaugh-2012", 9, "Kavanaugh et al. (2012)", "Kavanaugh, Andrea L., Fox, Edward A., Sheetz, Steven D., Yang, Seungwon, Li, Lin Tzy, Shoemaker, Donald J., et al.", 2012,
   "Social media use by government: From the routine to the critical", "Government Information Quarterly",
   "Kavanaugh, Andrea L., Fox, Edward A., Sheetz, Steven D., Yang, Seungwon, Li, Lin Tzy, Shoemaker, Donald J., et al. (2012). Social media use by government: From the routine to the critical. Government Information Quarterly, 29(4), 480–491.",
   "social-media-in-general", ["general-purposes"], "united-states", "Section 2: a pilot study with government officials 'in Virginia and the greater National Capitol Region'.", "western", WEST,
   [("", []),
    ("Policy, legal issues", [("Policy", ["laws-and-regulations"], "Policy in the political, legal and policy dimension is the policy framework for use."),
                              ("legal issues", ["laws-and-regulations"], "Legal issues are the legal framework for use.")]),
    ("Costs and training", [("Costs", ["funding"], "Costs are the financial side of resources, i.e. funding."),
                            ("training", ["skills-and-training"], "Named directly as training.")]),
    ("Communication information,", [("Communication", ["communication"], "Named directly as communication."),
                                    ("information", ["information-resources"], "Information named as a factor without qualification; aligned with government information and data.")]),
    ("Technology", [("Technology", ["technology"], "Named directly as technology in general.")])],
   bib={"volume": "29", "issue": "4", "pages": "480–491"},
   methods=[("pilot-study", "Pilot study with government officials", None, None, "government officials in Virginia and the greater National Capitol Region, community organizations, businesses and the public", "2010-06", "2010-12")])
st("liu-2011", 10, "Liu et al. (2011)", "Liu, Z., Zhang, Y., & Yue, C. Y.", 2011,
   "Microblogs: Enablers for the internet politics", "Information Construction",
   "Liu, Z., Zhang, Y., & Yue, C. Y. (2011). Microblogs: Enablers for the internet politics. Information Construction, 2011(4).",
   "microblogging", ["internet-politics-informatization"], "china", CHINA, None, None,
   [("", []),
    ("Lack of relevant regulations", [("Lack of relevant regulations", ["laws-and-regulations"], "Named directly as regulations.")]),
    ("Lack of collaboration, lack of institutions", [("Lack of collaboration", ["cross-boundary-collaboration"], "Section 2: collaboration between government websites and microblogs, i.e. across organizational boundaries."),
                                                     ("lack of institutions", ["governance-and-institutions"], "Institutions for managing microblogs are governance arrangements.")]),
    ("", []), ("", [])], bib={"issue": "2011(4)"})
st("picazo-vela-2012", 11, "Picazo-Vela et al. (2012)", "Picazo-Vela, Sergio, Gutierrez-Martinez, Isis, & Luna-Reyes, Luis Felipe", 2012,
   "Understanding risks, benefits, and strategic alternatives of social media applications in the public sector", "Government Information Quarterly",
   "Picazo-Vela, Sergio, Gutierrez-Martinez, Isis, & Luna-Reyes, Luis Felipe (2012). Understanding risks, benefits, and strategic alternatives of social media applications in the public sector. Government Information Quarterly, 29(4), 504–511.",
   "social-media-in-general", ["general-purposes"], "mexico", "Section 2: perceptions 'gathered from 250 public servants from Central Mexico'.", "western", WEST,
   [("General context", [("General context", ["contextual-factors"], "Named directly as the general context.")]),
    ("Institutional framework", [("Institutional framework", ["laws-and-regulations"], "The institutional framework is the legal and regulatory frame of use.")]),
    ("Interorganizational collaboration and networks, organizational structure and processes",
     [("Interorganizational collaboration and networks", ["cross-boundary-collaboration"], "Interorganizational collaboration is collaboration across organizational boundaries."),
      ("organizational structure and processes", ["organizational-structure-and-processes"], "Named directly as organizational structure and processes.")]),
    ("Information and data", [("Information and data", ["information-resources"], "Named directly as information and data.")]),
    ("Technology", [("Technology", ["technology"], "Named directly as technology in general.")])],
   bib={"volume": "29", "issue": "4", "pages": "504–511"},
   methods=[("perception-study", "Study of public servants' perceptions", None, 250, "public servants from Central Mexico", None, None)])
st("qu-2011", 12, "Qu (2011)", "Qu, X. C.", 2011,
   "Management risks and operation strategies of microblogs", "Journalism University",
   "Qu, X. C. (2011). Management risks and operation strategies of microblogs. Journalism University, 2011(2).",
   "microblogging", ["general-purposes"], "china", CHINA, None, None,
   [("Verbal aggression, opinion disorder", [("Verbal aggression", ["verbal-aggression"], "Named directly as verbal aggression."),
                                             ("opinion disorder", ["opinion-disorder"], "Named directly as disorder of public opinion.")]),
    ("", []), ("", []),
    ("Threats to confidentiality,", [("Threats to confidentiality", ["confidentiality"], "Named directly as confidentiality.")]),
    ("", [])], bib={"issue": "2011(2)"},
   note="Section 2 writes 'treats to confidentiality'; Table 1 writes 'Threats to confidentiality'. Recorded as Table 1 gives it.")
st("han-2012", 13, "Han (2012)", "Han, N.", 2012,
   "Development of government microblog in the perspective of communication", "Journalism and Writing",
   "Han, N. (2012). Development of government microblog in the perspective of communication. Journalism and Writing, 2012(2).",
   "microblogging", ["general-purposes"], "china", CHINA, None, None,
   [("", []), ("", []),
    ("Lack of unified guidelines, weak marketing, low level of interactions", [("Lack of unified guidelines", ["governance-and-institutions"], "Unified guidelines are the internal rules that govern microblog management."),
                                                                               ("weak marketing", ["marketing"], "Named directly as marketing."),
                                                                               ("low level of interactions", ["interaction-and-responsiveness"], "Named directly as interaction with the public.")]),
    ("", []), ("", [])], bib={"issue": "2012(2)"})
st("deng-2011", 14, "Deng (2011)", "Deng, S.", 2011,
   "Cool thoughts in a hot tide: Analysis on the problems and recommendations of government microblogs", "International Communication",
   "Deng, S. (2011). Cool thoughts in a hot tide: Analysis on the problems and recommendations of government microblogs. International Communication, 2011(8).",
   "microblogging", ["general-purposes"], "china", CHINA, None, None,
   [("Emotional expressions", [("Emotional expressions", ["emotional-expression"], "Section 2: emotional expressions disturb the judgement of public opinion.")]),
    ("", []), ("", []),
    ("Threats to confidentiality, information accuracy and authority", [("Threats to confidentiality", ["confidentiality"], "Named directly as confidentiality."),
                                                                         ("information accuracy and authority", ["information-quality"], "Accuracy and authority are properties of information quality.")]),
    ("", [])], bib={"issue": "2011(8)"})
st("zheng-ren-2012", 15, "Zheng and Ren (2012)", "Zheng, L., & Ren, Y. L.", 2012,
   "Study on the status of Chinese government institutional microblogs", None,
   "Zheng, L., & Ren, Y. L. (2012). Study on the status of Chinese government institutional microblogs.",
   "microblogging", ["general-purposes"], "china", CHINA, None, None,
   [("", []), ("", []),
    ("Inconsistent identity, short active period, rigid and inconsistent language styles, lack of cross-boundary collaboration",
     [("Inconsistent identity", ["presentation-consistency"], "Named directly as consistency of identity."),
      ("short active period", ["activity-continuity"], "A short active period is a failure of continuity of activity."),
      ("rigid and inconsistent language styles", ["language-style"], "Named directly as language style."),
      ("lack of cross-boundary collaboration", ["cross-boundary-collaboration"], "Named directly as cross-boundary collaboration.")]),
    ("Irrelevant information, low frequency of information updates", [("Irrelevant information", ["information-quality"], "Relevance is a property of information quality."),
                                                                     ("low frequency of information updates", ["activity-continuity"], "Update frequency is continuity of activity.")]),
    ("", [])])
st("zheng-t-2012", 16, "Zheng (2012)", "Zheng, T.", 2012,
   "Study on the content and interactions of chinese government institutional microblogs", "Library and Information Works",
   "Zheng, T. (2012). Study on the content and interactions of chinese government institutional microblogs. Library and Information Works, 2012(3).",
   "microblogging", ["general-purposes"], "china", CHINA, None, None,
   [("", []), ("", []),
    ("Low level of transparency and interaction, attention to the government rather than general public, rigid forms and language styles",
     [("Low level of transparency", ["transparency"], "Section 2: 'transparency and interaction ... remain a low level'; transparency is one of the two."),
      ("interaction", ["interaction-and-responsiveness"], "Section 2: the second of the two low-level qualities, interaction with the public."),
      ("attention to the government rather than general public", ["citizen-orientation"], "Content centred on government instead of the public is a lack of citizen orientation."),
      ("rigid forms and language styles", ["language-style"], "Named directly as language style.")]),
    ("", []), ("", [])], bib={"issue": "2012(3)"},
   note="Table 1 names this study 'Zheng (2012)'; the reference list gives its author as Zheng, T., a different author from the source paper's Lei Zheng.")

def slug(s):
    return re.sub(r"[^a-z0-9]+", "-", s.lower().replace("\"", "")).strip("-")
def lit(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'

for key, d in S.items():
    L = [f"# {d['label']}: a study reviewed in Table 1 of Zheng (2013). As the paper gives it; interpretations are typed egov:Interpretation.", PRE]
    sl = [f"study:{key} a egov:Study ;",
          f"    rdfs:label {lit(d['label'])}@en ;",
          f"    egov:tableLabel {lit(d['label'])} ;",
          f"    egov:tableRow {d['row']} ;",
          f"    egov:authors {lit(d['authors'])} ;",
          f"    dcterms:title {lit(d['title'])}@en ;",
          f"    dcterms:issued \"{d['year']}\"^^xsd:gYear ;",
          f"    dcterms:bibliographicCitation {lit(d['cite'])} ;"]
    if d["venue"]:
        sl.append(f"    egov:venue {lit(d['venue'])} ;")
    b = d["bib"]
    for k in ("volume", "issue", "pages", "doi"):
        if k in b:
            sl.append(f"    bibo:{k} {lit(b[k])} ;")
    sl.append(f"    egov:researchFocus focus:{d['focus']} ;")
    sl.append("    egov:purpose " + " , ".join(f"purpose:{p}" for p in d["purposes"]) + " ;")
    if d["country"]:
        sl.append(f"    egov:country place:{d['country']} ;")
    if d["region"]:
        sl.append(f"    egov:region place:{d['region']} ;")
    if d["note"]:
        sl.append(f"    egov:inconsistencyNote {lit(d['note'])}@en ;")
    for mk in d["methods"]:
        sl.append(f"    egov:usesMethod method:{key}.{mk[0]} ;")
    sl.append(f"    egov:interpretation interp:{key}.place ;")
    mentions, extra = [], []
    seen = set()
    for di, (cell, items) in enumerate(d["cells"]):
        for pos, (label, concepts, just) in enumerate(items, 1):
            s = slug(label)
            if s in seen:
                s = f"{s}-{DIMS[di]}"
            seen.add(s)
            mentions.append(f"m:{key}.{s}")
            extra.append("\n".join([
                f"m:{key}.{s} a egov:FactorMention ;",
                f"    rdfs:label {lit(label[0].upper() + label[1:])}@en ;",
                f"    egov:labelAsWritten {lit(label)} ;",
                f"    egov:reportedIn study:{key} ;",
                f"    egov:dimension dim:{DIMS[di]} ;",
                "    egov:role role:issue ;",
                "    egov:table \"Table 1\" ;",
                f"    egov:tableCell {lit(cell)} ;",
                f"    egov:positionInCell {pos} ;",
                "    egov:section \"2\" ;",
                "    egov:concept " + " , ".join(f"fc:{c}" for c in concepts) + " ;",
                f"    egov:interpretation interp:{key}.{s} .",
                "",
                f"interp:{key}.{s} a egov:Interpretation ;",
                "    egov:interpretedProperty egov:concept ;",
                f"    egov:justification {lit(just)}@en ;",
                "    prov:wasAttributedTo agent:curators .",
                ""]))
    sl.append("    egov:reportsFactor " + " ,\n        ".join(mentions) + " .")
    L.append("\n".join(sl) + "\n")
    pj = []
    if d["country"]:
        pj.append(d["cj"])
    if d["region"]:
        pj.append(d["rj"])
    props = ("egov:country" if d["country"] else "") + (" , " if d["country"] and d["region"] else "") + ("egov:region" if d["region"] else "")
    L.append("\n".join([f"interp:{key}.place a egov:Interpretation ;",
                        f"    egov:interpretedProperty {props} ;",
                        f"    egov:justification {lit(' '.join(pj))}@en ;",
                        "    prov:wasAttributedTo agent:curators .", ""]))
    for mk, mlabel, kind, n, parts, start, end in d["methods"]:
        ml = [f"method:{key}.{mk} a egov:Method ;", f"    rdfs:label {lit(mlabel)}@en ;"]
        if kind: ml.append(f"    egov:methodKind mkind:{kind} ;")
        if n: ml.append(f"    egov:sampleSize {n} ;")
        if start: ml.append(f"    egov:startDate \"{start}\"^^xsd:gYearMonth ;")
        if end: ml.append(f"    egov:endDate \"{end}\"^^xsd:gYearMonth ;")
        ml.append(f"    egov:participants {lit(parts)} ;")
        ml.append("    egov:section \"2\" .")
        L.append("\n".join(ml) + "\n")
    L.extend(extra)
    (OUT / f"{key}.ttl").write_text("\n".join(L))
print(len(S), "studies,", sum(len(i) for d in S.values() for c, i in d["cells"]), "mentions")

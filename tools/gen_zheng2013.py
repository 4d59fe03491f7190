"""One-off generator for kg/data/studies/zheng-2013.ttl, the source paper itself (kept for the record; the .ttl is the source)."""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from gen_table1 import PRE, lit  # noqa: E402  (same prefixes and literal quoting)

OUT = pathlib.Path(__file__).resolve().parents[1] / "kg/data/studies/zheng-2013.ttl"
K = "zheng-2013"
PRE2 = PRE + """@prefix ev:      <https://w3id.org/egovkg/id/evidence/> .
@prefix stat:    <https://w3id.org/egovkg/id/statistic/> .
@prefix claim:   <https://w3id.org/egovkg/id/claim/> .
@prefix rec:     <https://w3id.org/egovkg/id/recommendation/> .
@prefix rel:     <https://w3id.org/egovkg/id/relation/> .
@prefix ref:     <https://w3id.org/egovkg/id/reference/> .
@prefix pol:     <https://w3id.org/egovkg/id/polarity/> .
@prefix rtype:   <https://w3id.org/egovkg/id/relation-type/> .
"""
# Table 2 factors: key, label (Table 2), dimension, role, position in cell, section, heading (if different), description (ours), concepts, justification, evidence keys, note
F = [
("rising-citizen-participation","Rising citizen participation","social-economic","external-driver",1,"4.1.2",None,
 "Citizens' growing interest in public affairs, and their active use of microblogs to read news, voice opinions and join discussions, pushes agencies to open microblogs.",
 ["citizen-participation"],"Rising participation is the public's growing readiness and uptake, the factor Bertot et al. (2010) call social readiness and HCI (2010) user adoption.",["p412"],None),
("digital-divide","Digital divide","social-economic","external-challenge",1,"4.2.1",None,
 "Microblog users are a young, middle-class minority, so people who do not use microblogs, such as the elderly and the poor, risk being unheard.",
 ["digital-divide"],"Named directly as the digital divide; CTG (2009) accessibility and Bertot et al. (2012) access and social inclusion are the same factor.",["p421"],None),
("hacker-and-water-army","Hacker and water army","social-economic","external-challenge",2,"4.2.3","Hackers and \"water army\"",
 "Two threats from the internet environment: hackers who break into government accounts, and paid posters who manipulate online opinion and can mislead government decisions.",
 ["hacking","water-army"],"A compound factor: its hacking part is an information-security threat (reported by Western studies as security); its paid-posting part is the water army.",["q423a","p423b"],
 "Section heading 4.2.3 reads 'Hackers and \"water army\"'; Table 2 reads 'Hacker and water army'."),
("international-influence","International influence","political-legal-policy","external-driver",1,"4.1.3",None,
 "The worldwide spread of social media use by governments and officials encourages Chinese agencies to follow.",
 ["international-influence"],"Named directly; no study of Table 1 reports it.",["p413"],None),
("low-trust-in-government","Low trust in government","political-legal-policy","external-challenge",1,"4.2.2",None,
 "Citizens' declining trust means that whatever agencies post meets scepticism, which undermines what government microblogs can achieve.",
 ["public-trust"],"Named directly as citizens' trust in government.",["q422"],None),
("low-leadership-attention","Low leadership attention and supports","organizational-managerial","internal-weakness",1,"4.4.1","Low Leadership attention and supports",
 "Leaders ask for microblogs but often give them neither attention nor staff and money, and their attention shifts; in China's administrative system leadership support decides success.",
 ["leadership-support"],"Named directly; HCI (2010) reports lack of support from leadership.",["q441a","q441b"],None),
("lack-of-competent-management-institution","Lack of competent management institution","organizational-managerial","internal-weakness",2,"4.4.2","Lack of competent management institutions",
 "No department is clearly responsible for microblogs and no guidelines exist, and each unit that takes them on (publicity, general administration, Youth League) lacks some of the needed strengths.",
 ["governance-and-institutions"],"Which unit manages microblogs and by what rules is the governance factor named by CTG (2009) and Bertot et al. (2012).",["p442"],
 "Section heading 4.4.2 reads 'Lack of competent management institutions'; Table 2 reads 'Lack of competent management institution'."),
("lack-of-designated-staff","Lack of designated staff","organizational-managerial","internal-weakness",3,"4.4.3",None,
 "Most agencies run microblogs with part-time staff on rotation instead of dedicated posts, which breaks continuity and wears staff out.",
 ["staffing"],"Dedicated posts are the staffing part of resources; Western studies report resources only in general (CTG, 2009).",["q443a","q443b"],
 "Section 4.4.3 calls it 'a major advantage' of rotation that experience 'would hardly pass on' to successors, which describes a disadvantage. Recorded as given."),
("lack-of-funds","Lack of funds","organizational-managerial","internal-weakness",4,"4.4.4",None,
 "Microblogs have no budget line, so their operating, staff, training and equipment costs are taken from other budgets or not met.",
 ["funding"],"Named directly; HCI (2010) reports budgetary barriers and Kavanaugh et al. (2012) costs.",["q444a","q444b"],None),
("lack-of-skills","Lack of skills","organizational-managerial","internal-weakness",5,"4.4.5",None,
 "Managers and operators lack experience in attracting attention and in answering the public during emergencies, and ask for training.",
 ["skills-and-training"],"Named directly; HCI (2010) reports lack of expertise and Kavanaugh et al. (2012) training.",["q445a","q445b"],None),
("hierarchical-process","Hierarchical process and centralized power","organizational-managerial","internal-weakness",6,"4.4.6",None,
 "Content must climb a multi-level review to senior leaders before posting, so front-line staff cannot answer in time, least of all in emergencies.",
 ["centralized-review-process"],"The multi-level review and central control of content is the centralized review process the paper calls unique to China.",["q446a","q446b"],None),
("lack-of-horizontal-collaboration","Lack of horizontal collaboration","organizational-managerial","internal-weakness",7,"4.4.8",None,
 "Agencies share little information and rarely act together, so in emergencies a microblog may have nothing to tell the public.",
 ["cross-boundary-collaboration"],"Horizontal collaboration is collaboration across organizational boundaries, as in Picazo-Vela et al. (2012).",["q448"],None),
("closed-and-risk-averse-culture","Closed and risk-averse culture","information","internal-weakness",1,"4.4.7",None,
 "An agency-centred administrative culture treats openness and dialogue with the public as risks, so staff fear criticism and avoid direct interaction.",
 ["organizational-culture"],"A closed, risk-averse culture is an organizational culture, as in Bryer (2011).",["q447a","q447b"],
 "Table 2 places this factor in the Information row, while section 4.4.7 and section 5.2 discuss it as the culture of government organizations. Recorded in the Information dimension as Table 2 gives it."),
("abundant-information-resources","Abundant information resources","information","internal-strength",1,"4.3.2",None,
 "After a decade of e-government investment, government holds a wealth of authentic and timely information to publish.",
 ["information-resources"],"Government information and data as a resource, as Picazo-Vela et al. (2012) name information and data.",["p432"],None),
("information-security","Information security","information","internal-weakness",2,"4.4.9",None,
 "Agencies fear leaks of confidential information on a third-party platform, hesitate to post, and sometimes use confidentiality as a pretext to post selectively.",
 ["information-security"],"Named directly as information security; CTG (2009) and Bertot et al. (2012) report security.",["q449a","q449b"],None),
("pervasiveness-of-advanced-it-devices","Pervasiveness of advanced IT devices","technological","external-driver",1,"4.1.1","Pervasiveness of IT devices",
 "Widespread computers, smartphones and tablets, and easy-to-use microblog services, give government a foundation for reaching citizens.",
 ["device-pervasiveness"],"The spread of devices in society is what Bertot et al. (2010) call technology penetration.",["p411"],
 "Section heading 4.1.1 reads 'Pervasiveness of IT devices'; Table 2 reads 'Pervasiveness of advanced IT devices'."),
("technological-substitution","Technological substitution","technological","external-challenge",1,"4.2.4",None,
 "Civil servants doubt that microblogging will last as technology changes, fearing that investment will be lost when users move on.",
 ["technological-change"],"Fear that a newer medium replaces microblogs is the fast pace of change in the environment named by CTG (2009).",["q424a","q424b"],None),
("adequate-ict-infrastructure","Adequate ICT infrastructure in government","technological","internal-strength",1,"4.3.1",None,
 "Years of e-government have equipped most agencies with the computers, servers, networks and software that microblogs need.",
 ["technology-infrastructure"],"Agencies' ICT infrastructure is what Bertot et al. (2010) call the technology capabilities of government agencies.",["p431"],None),
]
# evidence: key, kind, section, speaker, quote
E = [
("p411","passage","4.1.1",None,"the pervasiveness of IT devices and the easy-to-use of microblogging have provided a critical foundation for government to use social media to interact with citizens."),
("p412","passage","4.1.2",None,"citizens' increasing interests in public affairs make it necessary and urgent for government to use microblogging as a new tool to interact with citizens."),
("p413","passage","4.1.3",None,"this international trend has also influenced Chinese government agencies to use microblogging to interact to some extent."),
("p421","passage","4.2.1",None,"due to digital divide, the voice of non-microbloggers may be ignored and their interests will be marginalized on government microblogging."),
("q422","interview","4.2.2","a government microblogging manager","For whatever information released on government microblogging accounts, the public would hold a skeptical attitude."),
("q423a","interview","4.2.3","a government microblogging manager","government microblogging is still threatened by malicious intrusion. A government microblog in Dalian City has just suffered a hacker attack."),
("p423b","passage","4.2.3",None,"These comments could manipulate, mislead and cover up public opinions for the benefits of special interest groups, and make it hard for government to recognize real public opinions."),
("q424a","interview","4.2.4","one interviewee","Government websites, mayor's mailboxes and the official blogs which were once hot for a time but are forgotten now might be lessons for government microblogging."),
("q424b","interview","4.2.4","another participant","what if microblogging is abandoned by internet users after the government have put a lot of manpower and resources into it?"),
("p431","passage","4.3.1",None,"most government agencies have now possessed adequate ICT infrastructure and have been well equipped with computers, servers, networks and necessary hardware facilities and software applications."),
("p432","passage","4.3.2",None,"the government is now the largest reservoir of authentic and timely information in society"),
("q441a","interview","4.4.1","a microblogging manager","The reason why some government microblogs are abandoned is that they didn't earn full attention and support from the leadership."),
("q441b","interview","4.4.1","a microblogging manager","Currently, what concerns us most is the support of higher authorities."),
("p442","passage","4.4.2",None,"managing microblogging is not a routine work of any current functional departments within government agencies. There are no existing policies and guidelines in government to follow as well."),
("q443a","interview","4.4.3","a microblogging manager","No one wants to work full-time on microblogging, because no one wants to 'die' on it"),
("q443b","interview","4.4.3","a government microblogging operator","There are only six people in our office. In order to take care of all the tasks, we have to take turns to work on microblogs. Before long, we feel exhausted."),
("p443c","passage","4.4.3",None,"Interviewees contributed this to the uncertain future of government microblogs."),
("p443d","passage","4.4.3",None,"they fear that their positions may be marginalized or removed once their leaders shift their attention away from government microblogs."),
("q444a","interview","4.4.4","a department staff member","Our human and material resources are limited. We lack funds, equipment and professional supports."),
("q444b","interview","4.4.4","another interviewee","Because government microblogging is a new task, there is no budget made for it at the beginning of this year."),
("p444c","passage","4.4.4",None,"as long as the leadership paid solid attention to government microblogs, funds would not be a big problem."),
("q445a","interview","4.4.5","a government microblogging manager","If you want to attract public attention, professional media trainings are very much needed to improve our capabilities."),
("q445b","interview","4.4.5","a government microblogging manager","I hope there are regular trainings, and show us how to deal with unexpected things."),
("q446a","interview","4.4.6","a microblogging manager","We are not free to issue contents, and our hands and feet are tied by the review process."),
("q446b","interview","4.4.6","an interviewee","After all processes were went through finally, the four hours of prime time have already passed"),
("p446c","passage","4.4.6",None,"Especially when coping with emergencies, going through the full process would miss the \u201cgolden time\u201d for responding to public."),
("q447a","interview","4.4.7","one interviewee","Government microblogs might result in social discord."),
("q447b","interview","4.4.7","one civil servant","If you respond with insufficient or inaccurate information, you could not satisfy the public needs; if you put aside questions, people would feel ignored. It is quite a dilemma."),
("q448","interview","4.4.8","a manager of a railway station microblog","very often information support from other transport units is way beyond our grasp."),
("q449a","interview","4.4.9","one microblogging manager","once government's confidential information was revealed on the internet, it would be difficult to have the situation restored"),
("q449b","interview","4.4.9","a civil servant","Information with negative effects is regarded as confidentiality and won't be posted."),
("q53","interview","5.3","one interviewee","the internet is a place of liberty full of individualistic users, which contradicts with the government culture."),
("p54","passage","5.4",None,"Centralized review process, \u201cwater army\u201d and international influence seem to be the three unique findings from China."),
("p54b","passage","5.4",None,"a comparison among these researches may not be convincing."),
]
REFS = [  # key, citation, title, authors, year, venue
("cnnic-2013","China Internet Network Information Center (2013). The 31st statistical report on the internet development in China. Retrieved April 10, 2013, from the World Wide Web: <http://www1.cnnic.cn/IDR/ReportDownloads/201302/P020130312536825920279.pdf>","The 31st statistical report on the internet development in China","China Internet Network Information Center","2013"),
("cnag-2011","China National Academy of Governance (2011). Chinese government microblogging assessment report. Retrieved April 10, 2013, from the World Wide Web: <http://www.chinaeog.org/publicfiles/business/htmlfiles/xiazai/2012wbpg.pdf>","Chinese government microblogging assessment report","China National Academy of Governance","2011"),
("osborn-1963","Osborn, A. F. (1963). Applied imagination: Principles and procedures of creative problem solving. New York, NY: Charles Scribner's Sons.","Applied imagination: Principles and procedures of creative problem solving","Osborn, A. F.","1963"),
("strauss-corbin-1998","Strauss, A., & Corbin, J. (1998). Basics of qualitative research: Techniques and procedures for developing grounded theory (2nd ed.). Thousand Oaks, CA: Sage Publications.","Basics of qualitative research: Techniques and procedures for developing grounded theory","Strauss, A., & Corbin, J.","1998"),
("charmaz-1983","Charmaz, K. (1983). The grounded theory methods: An explication and interpretation. In R. M. Emerson (Ed.), Contemporary field research: A collection of readings. Boston: Little, Brown.","The grounded theory methods: An explication and interpretation","Charmaz, K.","1983"),
("wikipedia-2013","Wikipedia (2013). Microblogging. Retrieved April 10, 2013, from the World Wide Web: <http://en.wikipedia.org/wiki/Microblogging>","Microblogging","Wikipedia","2013"),
]
CNAG_NOTE = "The paper cites China National Academy of Governance (2011) for figures at the end of 2012."
# statistics: key, label, value, unit, reference date (datatype, value), source, section, note
ST = [
("microblog-users-2012","Chinese microblogging users",309000000,"persons",("gYearMonth","2012-12"),"cnnic-2013","1",None),
("microblog-user-growth-2012","Growth of Chinese microblogging users over the end of 2011",23.5,"percent",("gYearMonth","2012-12"),"cnnic-2013","1",None),
("microblog-share-of-internet-users-2012","Share of Chinese internet users who use microblogging",54.7,"percent",("gYearMonth","2012-12"),"cnnic-2013","2",None),
("mobile-microblog-users-2012","Chinese microbloggers accessing microblogging from mobile devices",202000000,"persons",("gYearMonth","2012-12"),"cnnic-2013","2",None),
("mobile-share-2012","Share of Chinese microblogging users accessing microblogging from mobile devices",65.6,"percent",("gYearMonth","2012-12"),"cnnic-2013","2",None),
("government-accounts-2012","Government microblogging accounts launched by Chinese government agencies",176714,"accounts",("gYearMonth","2012-12"),"cnag-2011","2",CNAG_NOTE+" The abstract and introduction round the figure to 'over 176,000' and 'exceeded 176 thousand'."),
("government-account-growth-2012","Growth of government microblogging accounts over the end of 2011",249.51,"percent",("gYearMonth","2012-12"),"cnag-2011","2",CNAG_NOTE),
("county-level-share","Share of government microblogging accounts run by county-level agencies",43,"percent",("gYearMonth","2012-12"),"cnag-2011","2",CNAG_NOTE),
("city-level-share","Share of government microblogging accounts run by city-level agencies",33,"percent",("gYearMonth","2012-12"),"cnag-2011","2",CNAG_NOTE),
("policy-department-share","Share of government microblogging accounts launched by policy departments",37,"percent",("gYearMonth","2012-12"),"cnag-2011","2",CNAG_NOTE),
("party-committee-share","Share of government microblogging accounts launched by Communist party committees",12,"percent",("gYearMonth","2012-12"),"cnag-2011","2",CNAG_NOTE),
("propaganda-department-share","Share of government microblogging accounts launched by propaganda and publicity departments",11,"percent",("gYearMonth","2012-12"),"cnag-2011","2",CNAG_NOTE),
]
# claims: key, label, description (ours), section, factors, concepts, evidence, unique?
CL = [
("society-open-networked","Society: open and networked","Devices, social media, rising participation and international influence have moved information flow in Chinese society from a vertical, centralised, closed model towards a horizontal, decentralised, open network, which drives agencies to use microblogs.","5.1",
 ["pervasiveness-of-advanced-it-devices","rising-citizen-participation","international-influence"],[],[],False),
("government-closed-centralized","Government: closed and centralized","Chinese agencies remain closed, risk-averse and partly authoritarian towards society, and hierarchical process, centralised power, scarce resources and weak horizontal collaboration keep front-line staff from engaging citizens.","5.2",
 ["closed-and-risk-averse-culture","hierarchical-process","lack-of-funds","lack-of-designated-staff","lack-of-horizontal-collaboration","lack-of-competent-management-institution","lack-of-skills"],[],[],False),
("incompatibility","Incompatibility: government vs. society","Government capabilities (closed, hierarchical, centralised: 'Web 1.0') do not fit the open, networked, decentralised society ('Web 2.0'), so government microblogs often respond inadequately, improperly or late.","5.3",[],[],["q53"],False),
("shared-with-west","Many factors are shared with Western studies","Many of the factors found in China were also found by earlier studies in Western countries, suggesting similar practice across nations despite different contexts.","5.4",[],[],[],False),
("unique-centralized-review","The centralized review process is unique to China","The centralised review process is one of three findings unique to China, possibly reflecting China's top-down, unitary administrative system.","5.4",["hierarchical-process"],["centralized-review-process"],["p54"],True),
("unique-water-army","The water army is unique to China","The internet 'water army' is one of three findings unique to China, possibly because hiring people to post misleading comments is cheap and easy there.","5.4",["hacker-and-water-army"],["water-army"],["p54"],True),
("unique-international-influence","International influence is unique to China","International influence is one of three findings unique to China, possibly because IT applications and government innovations reach developing countries after developed ones.","5.4",["international-influence"],["international-influence"],["p54"],True),
("comparison-limited","Cross-study comparison is limited","Because studies differ in methods, agencies and social media tools, comparing them may not be convincing; parallel studies with the same methods are needed.","5.4",[],[],["p54b"],False),
("most-factors-organizational","Most reviewed factors are organizational","Most factors in the reviewed literature fall in the organizational and managerial dimension, fewer in the social, economic, political and legal ones, and few in information and technology.","2",[],[],[],False),
("prior-studies-undifferentiated","Prior studies do not separate external from internal factors","Most earlier findings do not distinguish external challenges from internal capabilities, may not generalise to China, and Chinese studies rarely take a public administration perspective or systematic empirical methods.","2",[],[],[],False),
]
# recommendations: key, label, description (ours), audience, section, addressed factors
RC = [
("enhance-organizational-capabilities","Enhance organizational capabilities","Agencies should build their organizational capabilities to fit the external environment of the social media age, with a systematic strategy.","government agencies","6",["lack-of-competent-management-institution","hierarchical-process","closed-and-risk-averse-culture","lack-of-horizontal-collaboration"]),
("transform-institutional-structures","Transform institutional structures","Agencies should reshape their institutional structures for managing social media.","government agencies","6",["lack-of-competent-management-institution"]),
("decentralize-power","Decentralize power","Agencies should decentralise power so that front-line staff can publish and respond.","government agencies","6",["hierarchical-process"]),
("streamline-process","Streamline process","Agencies should streamline their review and publishing process.","government agencies","6",["hierarchical-process"]),
("change-organizational-culture","Change organizational culture","Agencies should change their organizational culture towards openness.","government agencies","6",["closed-and-risk-averse-culture"]),
("enhance-collaboration","Enhance collaboration across boundaries","Agencies should strengthen collaboration across departmental and organizational boundaries.","government agencies","6",["lack-of-horizontal-collaboration"]),
("leaders-provide-support","Leaders should support microblogs with resources","Government leaders should give government microblogs substantial support and resources.","government leaders","6",["low-leadership-attention","lack-of-funds","lack-of-designated-staff"]),
("provide-training","Provide more training","Agencies should train staff to improve their social media skills.","government agencies","6",["lack-of-skills"]),
("bridge-digital-divide","Bridge the digital divide","Government should work to bridge the digital divide in society.","government","6",["digital-divide"]),
("encourage-participation","Encourage participation of all stakeholders","Government should encourage participation from all stakeholders in society.","government","6",["digital-divide"]),
("restore-trust","Restore citizens' trust","Government should work to restore citizens' trust in government.","government","6",["low-trust-in-government"]),
("test-correlations","Test factors against performance quantitatively","Future studies could test quantitatively how the factors identified relate to the performance of government microblogging.","researchers","7",[]),
("extend-samples","Extend samples to other regions, levels and purposes","Future studies could sample government microblogs in other regions, at other levels of government and with other purposes, and compare agencies, purposes and tools.","researchers","7",[]),
("parallel-comparative-studies","Run parallel comparative studies","Parallel studies with the same or similar methods and instruments could compare the factors found in China with those in other countries.","researchers","7",[]),
]
# relations: key, from, type, to, effect (ours), section, evidence
RL = [
("funds-depend-on-leadership","lack-of-funds","depends-on","low-leadership-attention",None,"4.4.4",["p444c"]),
("staff-caused-by-uncertain-future","lack-of-designated-staff","caused-by","technological-substitution",None,"4.4.3",["p443c"]),
("staff-depends-on-leadership","lack-of-designated-staff","depends-on","low-leadership-attention",None,"4.4.3",["p443d"]),
("review-impedes-emergency-response","hierarchical-process","impedes",None,"Timely response to the public in emergencies: the full review process misses the 'golden time' of the first hours.","4.4.6",["p446c","q446b"]),
]
ROLE_POL = {"external-driver": "external", "external-challenge": "external", "internal-strength": "internal", "internal-weakness": "internal"}

L = ["# Zheng (2013), the source paper itself: its Table 2 factors, evidence, methods, statistics, claims, recommendations and references.\n# As the paper gives it; nodes typed egov:Interpretation are the curators' judgements. Descriptions are in our own words.", PRE2]
s = [f"study:{K} a egov:Study ;",
     '    rdfs:label "Zheng (2013)"@en ;',
     '    egov:authors "Lei Zheng" ;',
     '    dcterms:title "Social media in Chinese government: Drivers, challenges and capabilities"@en ;',
     '    dcterms:issued "2013"^^xsd:gYear ;',
     '    dcterms:available "2013-11-15"^^xsd:date ;',
     '    egov:venue "Government Information Quarterly" ;',
     '    dcterms:publisher "Elsevier Inc." ;',
     '    dcterms:bibliographicCitation "Zheng, L. (2013). Social media in Chinese government: Drivers, challenges and capabilities. Government Information Quarterly." ;',
     '    dcterms:subject "Social media" , "Government" , "China" , "Drivers" , "Challenges" , "Capabilities" ;',
     '    egov:researchFocus focus:microblogging ;',
     '    egov:purpose purpose:disclosing-information , purpose:public-services , purpose:emergency-response , purpose:government-citizen-interaction ;',
     '    egov:country place:china ;',
     f'    egov:interpretation interp:{K}.place ;',
     '    egov:reviews ' + " , ".join(f"study:{k}" for k in ["ctg-2009","hci-2010","staiou-gouscos-2010","bryer-2011","bertot-2010","li-2010","bertot-2012","cui-2011","kavanaugh-2012","liu-2011","picazo-vela-2012","qu-2011","han-2012","deng-2011","zheng-ren-2012","zheng-t-2012"]) + " ;",
     '    dcterms:references ' + " , ".join(f"ref:{r[0]}" for r in REFS) + " ;",
     f'    egov:usesMethod method:{K}.focus-groups , method:{K}.interviews , method:{K}.grounded-theory ;',
     '    egov:reportsStatistic ' + " , ".join(f"stat:{K}.{x[0]}" for x in ST) + " ;",
     '    egov:makesClaim ' + " , ".join(f"claim:{K}.{x[0]}" for x in CL) + " ;",
     '    egov:makesRecommendation ' + " , ".join(f"rec:{K}.{x[0]}" for x in RC) + " ;",
     '    egov:reportsFactor ' + " ,\n        ".join(f"m:{K}.{f[0]}" for f in F) + " ."]
L.append("\n".join(s) + "\n")
L.append(f"""interp:{K}.place a egov:Interpretation ;
    egov:interpretedProperty egov:country ;
    egov:justification "The paper studies Chinese government agencies, with data from Shanghai (sections 1 and 3)."@en ;
    prov:wasAttributedTo agent:curators .
""")
for key, label, dim, role, pos, sec, heading, desc, concepts, just, evs, note in F:
    p = [f"m:{K}.{key} a egov:FactorMention ;", f"    rdfs:label {lit(label)}@en ;", f"    egov:labelAsWritten {lit(label)} ;"]
    if heading: p.append(f"    skos:altLabel {lit(heading)}@en ;")
    p += [f"    egov:reportedIn study:{K} ;", f"    egov:dimension dim:{dim} ;", f"    egov:role role:{role} ;",
          f"    egov:polarity pol:{ROLE_POL[role]} ;", '    egov:table "Table 2" ;', f"    egov:positionInCell {pos} ;",
          f'    egov:section "{sec}" ;', f"    dcterms:description {lit(desc)}@en ;",
          "    egov:evidence " + " , ".join(f"ev:{K}.{e}" for e in evs) + " ;"]
    if note: p.append(f"    egov:inconsistencyNote {lit(note)}@en ;")
    p += ["    egov:concept " + " , ".join(f"fc:{c}" for c in concepts) + " ;", f"    egov:interpretation interp:{K}.{key} ."]
    L.append("\n".join(p) + "\n")
    L.append(f"interp:{K}.{key} a egov:Interpretation ;\n    egov:interpretedProperty egov:concept ;\n    egov:justification {lit(just)}@en ;\n    prov:wasAttributedTo agent:curators .\n")
for key, kind, sec, speaker, q in E:
    p = [f"ev:{K}.{key} a egov:Evidence ;", f'    egov:evidenceKind "{kind}" ;', f'    egov:section "{sec}" ;', f"    egov:quote {lit(q)}@en ;"]
    if speaker: p.append(f"    egov:speaker {lit(speaker)} ;")
    p.append(f"    prov:wasDerivedFrom study:{K} .")
    L.append("\n".join(p) + "\n")
L.append(f"""method:{K}.focus-groups a egov:Method ;
    rdfs:label "Brainstorming focus groups"@en ;
    egov:methodKind mkind:brainstorming-focus-group ;
    egov:sampleSize 78 ;
    egov:groupCount 10 ;
    egov:participants "civil servants from various Shanghai Municipal Government agencies and county governments" ;
    egov:startDate "2011-04"^^xsd:gYearMonth ;
    egov:endDate "2011-06"^^xsd:gYearMonth ;
    egov:section "3" ;
    dcterms:description "Ten facilitated groups discussed drivers, challenges and capabilities for an hour, presented their answers, then merged duplicate ideas under single labels and clustered them; sessions were tape-recorded."@en ;
    dcterms:references ref:osborn-1963 .

method:{K}.interviews a egov:Method ;
    rdfs:label "Semi-structured interviews"@en ;
    egov:methodKind mkind:semi-structured-interview ;
    egov:participants "managers in twelve influential government microblogging accounts in Shanghai, and managers responsible for government microblogging accounts in the two major microblogging service providers in China" ;
    egov:startDate "2011-07"^^xsd:gYearMonth ;
    egov:endDate "2012-12"^^xsd:gYearMonth ;
    egov:fieldwork method:{K}.interviews.wave-1 , method:{K}.interviews.wave-2 , method:{K}.interviews.wave-3 ;
    egov:section "3" ;
    dcterms:description "In-depth interviews around four main questions: external drivers, external challenges, internal strengths and weaknesses, and overall capability to interact with the public."@en ;
    egov:inconsistencyNote "Section 3 dates the interviews 'from July 2011 through December 2012' but says three were 'completed in December 2013', which is also after the paper's online publication on 15 November 2013. Recorded as given."@en .

method:{K}.interviews.wave-1 a egov:Fieldwork ;
    rdfs:label "Interviews in July and August 2011"@en ;
    egov:sessionCount 7 ;
    egov:startDate "2011-07"^^xsd:gYearMonth ;
    egov:endDate "2011-08"^^xsd:gYearMonth ;
    egov:section "3" .

method:{K}.interviews.wave-2 a egov:Fieldwork ;
    rdfs:label "Interviews in December 2012"@en ;
    egov:sessionCount 2 ;
    egov:startDate "2012-12"^^xsd:gYearMonth ;
    egov:endDate "2012-12"^^xsd:gYearMonth ;
    egov:section "3" .

method:{K}.interviews.wave-3 a egov:Fieldwork ;
    rdfs:label "Interviews in December 2013"@en ;
    egov:sessionCount 3 ;
    egov:startDate "2013-12"^^xsd:gYearMonth ;
    egov:endDate "2013-12"^^xsd:gYearMonth ;
    egov:section "3" ;
    egov:inconsistencyNote "December 2013 is after the paper's online publication (15 November 2013) and outside the interview period the same section gives (July 2011 to December 2012). Recorded as given."@en .

method:{K}.grounded-theory a egov:Method ;
    rdfs:label "Grounded-theory coding"@en ;
    egov:methodKind mkind:grounded-theory-coding ;
    egov:softwareTool "Atlas.ti" ;
    egov:codingStage "open coding" , "axial coding" , "selective coding" ;
    egov:section "3" ;
    dcterms:description "Transcribed data were coded inductively in three stages and the common patterns sorted into external drivers, challenges and internal capabilities in five dimensions."@en ;
    dcterms:references ref:strauss-corbin-1998 , ref:charmaz-1983 .
""")
for key, label, v, unit, (dt, dv), src, sec, note in ST:
    p = [f"stat:{K}.{key} a egov:Statistic ;", f"    rdfs:label {lit(label)}@en ;", f'    egov:value "{v}"^^xsd:decimal ;',
         f'    egov:unit "{unit}" ;', f'    egov:referenceDate "{dv}"^^xsd:{dt} ;', f"    egov:citedSource ref:{src} ;", f'    egov:section "{sec}" ;']
    if note: p.append(f"    egov:inconsistencyNote {lit(note)}@en ;")
    p.append(f"    prov:wasDerivedFrom study:{K} .")
    L.append("\n".join(p) + "\n")
for key, label, desc, sec, facs, cons, evs, uniq in CL:
    p = [f"claim:{K}.{key} a {'egov:UniqueFindingClaim' if uniq else 'egov:Claim'} ;", f"    rdfs:label {lit(label)}@en ;",
         f"    dcterms:description {lit(desc)}@en ;", f'    egov:section "{sec}" ;']
    if facs: p.append("    egov:concernsFactor " + " , ".join(f"m:{K}.{f}" for f in facs) + " ;")
    if cons: p.append("    egov:concernsConcept " + " , ".join(f"fc:{c}" for c in cons) + " ;")
    if uniq: p.append("    egov:comparedWith place:western ;")
    if evs: p.append("    egov:evidence " + " , ".join(f"ev:{K}.{e}" for e in evs) + " ;")
    p.append(f"    prov:wasDerivedFrom study:{K} .")
    L.append("\n".join(p) + "\n")
for key, label, desc, aud, sec, facs in RC:
    p = [f"rec:{K}.{key} a egov:Recommendation ;", f"    rdfs:label {lit(label)}@en ;", f"    dcterms:description {lit(desc)}@en ;",
         f"    egov:audience {lit(aud)} ;", f'    egov:section "{sec}" ;']
    if facs: p.append("    egov:addresses " + " , ".join(f"m:{K}.{f}" for f in facs) + " ;")
    p.append(f"    prov:wasDerivedFrom study:{K} .")
    L.append("\n".join(p) + "\n")
for key, frm, typ, to, eff, sec, evs in RL:
    p = [f"rel:{K}.{key} a egov:FactorRelation ;", f"    egov:fromFactor m:{K}.{frm} ;", f"    egov:relationType rtype:{typ} ;"]
    if to: p.append(f"    egov:toFactor m:{K}.{to} ;")
    if eff: p.append(f"    egov:effect {lit(eff)}@en ;")
    p += [f'    egov:section "{sec}" ;', "    egov:evidence " + " , ".join(f"ev:{K}.{e}" for e in evs) + " ;", f"    prov:wasDerivedFrom study:{K} ."]
    L.append("\n".join(p) + "\n")
for key, cite, title, _authors, year in REFS:
    L.append(f"ref:{key} a bibo:Document ;\n    rdfs:label {lit(title)}@en ;\n    dcterms:title {lit(title)}@en ;\n"
             f'    dcterms:issued "{year}"^^xsd:gYear ;\n    dcterms:bibliographicCitation {lit(cite)} .\n')
OUT.write_text("\n".join(L))
print(len(F), "factors,", len(E), "evidence,", len(ST), "statistics,", len(CL), "claims,", len(RC), "recommendations")

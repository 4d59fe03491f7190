"""The paper's Table 2, transcribed by hand from Zheng (2013) (``../shared/seed``): one transcription for every
test that checks a rendering of it (kg tables, pages)."""

TABLE2_COLUMNS = ["External drivers", "External challenges", "Internal strengths", "Internal weaknesses"]

# (dimension as Table 2 heads it, [factors of each column, top to bottom])
TABLE2: list[tuple[str, list[list[str]]]] = [
    ("Social and economic", [
        ["Rising citizen participation"],
        ["Digital divide", "Hacker and water army"],
        [],
        [],
    ]),
    ("Political, legal and policy", [
        ["International influence"],
        ["Low trust in government"],
        [],
        [],
    ]),
    ("Organizational and management", [
        [],
        [],
        [],
        ["Low leadership attention and supports", "Lack of competent management institution",
         "Lack of designated staff", "Lack of funds", "Lack of skills", "Hierarchical process and centralized power",
         "Lack of horizontal collaboration"],
    ]),
    ("Information", [
        [],
        [],
        ["Abundant information resources"],
        ["Closed and risk-averse culture", "Information security"],
    ]),
    ("Technological", [
        ["Pervasiveness of advanced IT devices"],
        ["Technological substitution"],
        ["Adequate ICT infrastructure in government"],
        [],
    ]),
]

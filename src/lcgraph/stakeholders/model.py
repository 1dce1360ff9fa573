"""The Fellegi-Sunter model of the name matcher, as a Splink settings dictionary.

Two records are compared on their names (in their comparable form, `names.key`) and their
municipality; each level has an m probability (how often two records of one organisation
are at this level) and a u probability (how often two records of different organisations
are). A pair's match weight is log2 of the prior odds plus, per comparison, log2(m/u): the
score that `lc:matchScore` records. The probabilities are set, not trained at build time,
so the same sources give the same joins in every build; they were chosen by reading the
real sources and checked on the hand-labelled pairs of
tests/fixtures/reconciliation/pairs.csv (docs/reconciliation.md gives the figures).

Blocking rules keep the comparisons linear in practice: only records that share their whole
name, their word set, their first two words, or their first word and municipality are
compared, never every record with every other.
"""

from __future__ import annotations

from typing import Any

# A pair at or above this weight is a candidate (docs/reconciliation.md: measured on the
# hand-labelled pairs).
THRESHOLD = -1.0
# Two conflicting candidates closer than this to the best one make an organisation ambiguous.
MARGIN = 2.0

# Only pairs of records not yet in one organisation are compared (`org` is its number), and
# never two of a steward's organisations (organisations.csv: distinct by definition).
_PAIRS = " AND l.org <> r.org AND NOT (l.curated AND r.curated)"
BLOCKING_RULES = [
    "l.name = r.name" + _PAIRS,
    "l.word_key = r.word_key" + _PAIRS,
    "l.first2 = r.first2" + _PAIRS,
    "l.first1 = r.first1" + _PAIRS,  # its first word, the start of its second, its municipality
]
BLOCK_MAX = 50  # rows a first-words key may have and still be blocked on
# ... or one of their rare words (`RARE_MAX`: in so few records that its block stays small):
# `Stichting Katholieke Universiteit, Radboud Universiteit Nijmegen` meets `Radboud University`.
RARE_RULE = {"blocking_rule": "l.rare = r.rare" + _PAIRS, "arrays_to_explode": ["rare"]}
RARE_MAX = 30  # records a word may be in and still be rare
RARE_PER_NAME = 2  # the rarest words of each name that are blocked on


def _level(sql: str, label: str, m: float, u: float) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label, "m_probability": m, "u_probability": u}


NAME = {
    "output_column_name": "name",
    "comparison_levels": [
        {"sql_condition": "name_l IS NULL OR name_r IS NULL", "is_null_level": True},
        _level("name_l = name_r", "same name", 0.55, 0.00001),
        _level("word_key_l = word_key_r", "same words in another order", 0.08, 0.00002),
        _level(
            "len(name_l) >= 10 AND levenshtein(name_l, name_r) <= 2",
            "a typing difference",
            0.1,
            0.0001,
        ),
        _level(
            "len(words_l) >= 2 AND len(words_r) >= 2 AND "
            "(list_has_all(words_l, words_r) OR list_has_all(words_r, words_l))",
            "one name's words in the other",
            0.12,
            0.0002,
        ),
        _level("jaro_winkler_similarity(name_l, name_r) >= 0.92", "similar", 0.05, 0.002),
        _level("ELSE", "different", 0.1, 0.99767),
    ],
}
MUNICIPALITY = {
    "output_column_name": "municipality",
    "comparison_levels": [
        {
            "sql_condition": "municipality_l IS NULL OR municipality_r IS NULL",
            "is_null_level": True,
        },
        _level("municipality_l = municipality_r", "same municipality", 0.9, 0.02),
        _level("ELSE", "another municipality", 0.1, 0.98),
    ],
}


def settings() -> dict[str, Any]:
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": 0.001,
        "blocking_rules_to_generate_predictions": [
            *({"blocking_rule": rule} for rule in BLOCKING_RULES),
            RARE_RULE,
        ],
        "comparisons": [NAME, MUNICIPALITY],
        "retain_matching_columns": True,
        "additional_columns_to_retain": ["record"],
    }

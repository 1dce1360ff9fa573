"""The axiom closure (`lcgraph.inference.Closure`): the fixpoint, however links arrive."""

from __future__ import annotations

import itertools

from lcgraph.inference import Axioms, Closure, Link
from lcgraph.iris import RDF_TYPE

LC = "https://example.org/lc/"
REGION, WITHIN, CONTAINS = LC + "region", LC + "withinRegion", LC + "containsRegion"
MEMBER, ORGANIZATION, MEMBER_OF = LC + "member", LC + "organization", LC + "memberOf"
ACTIVE, RELATED = LC + "activeIn", LC + "relatedTo"

AXIOMS = Axioms(
    super_classes={LC + "University": {LC + "School", LC + "Organisation"}},
    super_properties={ACTIVE: {RELATED}},
    inverses={WITHIN: {CONTAINS}, CONTAINS: {WITHIN}},
    transitive=frozenset({WITHIN}),
    chains=(
        (REGION, ((REGION, False), (WITHIN, False))),  # region ∘ withinRegion ⊑ region
        (MEMBER_OF, ((MEMBER, True), (ORGANIZATION, False))),  # member⁻ ∘ organization
    ),
)

STATED: list[Link] = [
    ("uu", RDF_TYPE, LC + "University"),
    ("utrecht", WITHIN, "corop-utrecht"),
    ("corop-utrecht", WITHIN, "province-utrecht"),
    ("province-utrecht", WITHIN, "nl"),
    ("uu", REGION, "utrecht"),
    ("membership", MEMBER, "uu"),
    ("membership", ORGANIZATION, "community"),
    ("uu", ACTIVE, "community"),
]


def test_the_closure_holds_every_consequence_and_no_stated_link() -> None:
    inferred = Closure(AXIOMS).add(STATED, stated=True)
    assert {("uu", RDF_TYPE, LC + "School"), ("uu", RDF_TYPE, LC + "Organisation")} <= inferred
    assert ("utrecht", WITHIN, "nl") in inferred  # transitive, two steps
    assert ("nl", CONTAINS, "utrecht") in inferred  # the inverse of a closed link
    # the chain follows the closed containment to every enclosing region
    assert {("uu", REGION, r) for r in ("corop-utrecht", "province-utrecht", "nl")} <= inferred
    assert ("uu", MEMBER_OF, "community") in inferred  # a chain with an inverse step
    assert ("uu", RELATED, "community") in inferred
    assert not inferred & set(STATED)


def test_links_added_later_give_the_closure_of_all_of_them_at_once() -> None:
    whole = Closure(AXIOMS).add(STATED, stated=True)
    for cut in range(1, len(STATED)):  # stated in two parts, in every order of the parts
        for first, later in ((STATED[:cut], STATED[cut:]), (STATED[cut:], STATED[:cut])):
            closure = Closure(AXIOMS)
            inferred = closure.add(first, stated=True) | closure.add(later, stated=True)
            assert inferred - set(STATED) == whole


def test_what_a_rule_derives_counts_as_inferred_and_is_closed_too() -> None:
    closure = Closure(AXIOMS)
    closure.add(STATED, stated=True)
    derived = [("hu", REGION, "utrecht"), ("uu", REGION, "utrecht")]  # the second is stated
    added = closure.add(derived)
    assert ("hu", REGION, "utrecht") in added
    assert ("hu", REGION, "nl") in added
    assert ("uu", REGION, "utrecht") not in added
    assert closure.add(derived) == set()  # nothing is inferred twice


def test_the_order_of_stated_links_does_not_change_the_closure() -> None:
    results = {
        frozenset(Closure(AXIOMS).add(order, stated=True))
        for order in itertools.islice(itertools.permutations(STATED), 0, 400, 37)
    }
    assert len(results) == 1

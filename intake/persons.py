"""Decide whose document each ID card and insurance card is, from what is printed; a file's name only breaks a tie.

A front belongs to the parent whose name and number the birth certificate
gives, else to the parent its sex digit says. A back carries no name, so it
is paired with the front in the same file (both sides of one card scanned
together), else the one whose address its issuing authority matches and whose
age its validity period fits. Where both parents' fronts fit both backs alike
(one county, ages in one validity band), the back goes with the front it was
filed beside: a phone names its photos in the order they were taken, and a
card's two sides are most often taken one after the other. File names never
decide anything else.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from itertools import combinations, permutations

from rapidfuzz import fuzz

from intake.models import Document, DocumentType

PARENTS = ("mother", "father")


def value(document: Document | None, name: str) -> str | None:
    if document is None or name not in document.fields:
        return None
    return document.fields[name].value


def find(documents: list[Document], doc_type: DocumentType, person: str | None = None) -> Document | None:
    return next((d for d in documents if d.type == doc_type and (person is None or d.person == person)), None)


def assign_persons(documents: list[Document]) -> None:
    """Fill in `person` on ID cards and insurance cards in place."""
    certificate = next((d for d in documents if d.type == DocumentType.birth_certificate), None)
    fronts = [d for d in documents if d.type == DocumentType.id_card_front]
    for front in fronts:
        front.person = _front_person(front, certificate)
    _settle_duplicates(fronts, certificate)
    backs = [d for d in documents if d.type == DocumentType.id_card_back]
    _pair_backs(backs, fronts)
    for card in (d for d in documents if d.type == DocumentType.social_security_card):
        card.person = _card_holder(card, fronts, certificate)
    for document in documents:
        if document.type in (DocumentType.birth_certificate, DocumentType.household_register, DocumentType.photo):
            document.person = "child"


def similarity(a: str | None, b: str | None) -> float:
    if not a or not b:
        return 0.0
    return fuzz.ratio(a, b) / 100


def _front_person(front: Document, certificate: Document | None) -> str | None:
    scores = {
        parent: max(
            similarity(value(front, "id_number"), value(certificate, f"{parent}_id_number")),
            similarity(value(front, "name"), value(certificate, f"{parent}_name")),
        )
        for parent in PARENTS
    }
    best = max(scores, key=lambda p: scores[p])
    if scores[best] >= 0.6 and scores[best] > scores[_other(best)]:
        return best
    return _person_from_sex(value(front, "id_number"), value(front, "sex"))


def _person_from_sex(id_number: str | None, sex: str | None) -> str | None:
    if id_number and len(id_number) == 18 and id_number[16].isdigit():
        return "father" if int(id_number[16]) % 2 else "mother"
    return {"male": "father", "female": "mother"}.get(sex or "")


def _other(parent: str) -> str:
    return "father" if parent == "mother" else "mother"


def _settle_duplicates(fronts: list[Document], certificate: Document | None) -> None:
    """Two fronts claimed by one parent and none by the other: the weaker claim goes to the other parent."""
    if len(fronts) != 2 or fronts[0].person != fronts[1].person or fronts[0].person is None:
        return
    parent = fronts[0].person

    def claim(front: Document) -> float:
        return max(similarity(value(front, "id_number"), value(certificate, f"{parent}_id_number")),
                   similarity(value(front, "name"), value(certificate, f"{parent}_name")))

    weaker = min(fronts, key=claim)
    if claim(weaker) < 1.0:
        weaker.person = _other(parent)


# Pairings grow factorially with the cards: an application holds two or three; of a folder of many (a batch
# taken for one application) only the first this many backs and fronts are paired (its duplicates are
# flagged for review anyway).
MOST_PAIRED = 4


def _pair_backs(backs: list[Document], fronts: list[Document]) -> None:
    owned = [f for f in fronts if f.person in PARENTS]
    if not owned:
        return
    if len(backs) == 1 and len(owned) == 1:
        backs[0].person = owned[0].person
        return
    # The pairing that fits best as a whole, not pair by pair: a back that fits only one parent's age
    # settles the other back too, where taken first by score the other back could fit both equally
    # and take the parent the first one needed. (A set holds two or three cards: few pairings.)
    backs_paired, fronts_paired = backs[:MOST_PAIRED], owned[:MOST_PAIRED]
    fits = [[_back_fits(back, front) for front in fronts_paired] for back in backs_paired]
    paired = min(len(backs_paired), len(fronts_paired))
    pairings = (list(zip(chosen, taken)) for chosen in combinations(range(len(backs_paired)), paired)
                for taken in permutations(range(len(fronts_paired)), paired))
    taken = {d.file: _taken(d.file) for d in backs + owned}
    order = {name: rank for rank, name in enumerate(sorted(taken, key=taken.get))}

    def apart(pairing) -> int:
        # A file with a time in its name and one without were not put in one order: as far apart as any.
        return sum(abs(order[back] - order[front]) if taken[back][0] == taken[front][0] else len(order)
                   for back, front in ((backs_paired[i].file, fronts_paired[j].file) for i, j in pairing))

    # Rounded: two pairings that fit alike sum the same scores in another order.
    best = max(pairings, key=lambda pairing: (round(sum(fits[i][j] for i, j in pairing), 6), -apart(pairing)))
    for i, j in best:
        backs[i].person = owned[j].person
    # Two backs and one front (the other parent's front left at home): the back the front did not take
    # is the other parent's.
    unpaired = [back for back in backs if back.person is None]
    unclaimed = [parent for parent in PARENTS if all(back.person != parent for back in backs)]
    if len(unpaired) == 1 and len(unclaimed) == 1 and len(backs) == 2:
        unpaired[0].person = unclaimed[0]


# The time a phone or messenger writes into a file's name: local time (IMG_20261123_101502, 微信图片_
# 20261123101502, Screenshot_2026-11-23-10-15-02), or milliseconds since 1970 (mmexport1795407117850).
LOCAL_TIME = re.compile(r"(20\d\d)[-_.]?(\d\d)[-_.]?(\d\d)[-_ .]?(\d\d)[-_.]?(\d\d)[-_.]?(\d\d)")
EPOCH_MS = re.compile(r"(?<!\d)1[5-9]\d{11}(?!\d)")
# Local times are China's, eight hours ahead of the epoch's clock.
EPOCH = datetime(1970, 1, 1, 8)


def _taken(name: str) -> tuple:
    """When a file was taken, by its name; names without a time after, IMG_9.jpg before IMG_10.jpg."""
    if epoch := EPOCH_MS.search(name):
        return (0, int(epoch.group()) / 1000)
    if (local := LOCAL_TIME.search(name)) is not None:
        try:
            return (0, (datetime(*(int(part) for part in local.groups())) - EPOCH).total_seconds())
        except ValueError:
            pass
    return (1, [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", name)])


# Both sides of one card copied into one file (a PDF of the card) outweigh anything printed.
SAME_FILE = 1.0


def _back_fits(back: Document, front: Document) -> float:
    """How well a back fits a front: the authority names the address's city or district; the period fits the age."""
    score = SAME_FILE if back.file == front.file else 0.0
    authority = (value(back, "issuing_authority") or "").replace("公安局", "").replace("分局", "")
    address = value(front, "address") or ""
    if authority and address:
        score += fuzz.partial_ratio(authority, address) / 100
    birth, start, until = value(front, "birth_date"), value(back, "valid_from"), value(back, "valid_until")
    if birth and start and until:
        try:
            age = (date.fromisoformat(start) - date.fromisoformat(birth)).days / 365.25
            years = None if until == "长期" else round((date.fromisoformat(until) - date.fromisoformat(start)).days / 365.25)
        except ValueError:
            return score
        # GB: 10 years from 16 to 25, 20 years from 26 to 45, 长期 from 46.
        expected = 5 if age < 16 else 10 if age < 26 else 20 if age < 46 else None
        score += 0.3 if years == expected else 0.0
    return score


def _card_holder(card: Document, fronts: list[Document], certificate: Document | None) -> str | None:
    number, name = value(card, "social_security_number"), value(card, "name")
    for parent in PARENTS:
        front = next((f for f in fronts if f.person == parent), None)
        known_numbers = {value(front, "id_number"), value(certificate, f"{parent}_id_number")} - {None}
        known_names = {value(front, "name"), value(certificate, f"{parent}_name")} - {None}
        if number in known_numbers or (name in known_names and number is None):
            return parent
    best = max(
        PARENTS,
        key=lambda p: similarity(name, value(certificate, f"{p}_name")) + similarity(number, value(certificate, f"{p}_id_number")),
    )
    if similarity(name, value(certificate, f"{best}_name")) >= 0.5:
        return best
    return None

"""What an application contains: the family, its documents' printed fields, the planted problem.

This part draws no pixels, so tests and benchmarks can check the planting
logic for every problem in milliseconds. Randomness comes in independent
streams (family, plan, one per document slot) from one seed: the same seed
with a different `problem` gives the same family, and dropping a document
never changes how the others are drawn.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from . import people
from .people import Person, choice

REQUIRED = ["birth_certificate", "id_card_front", "id_card_back", "household_register", "photo",
            "social_security_card"]
PROBLEMS = [
    "names.child", "names.mother", "names.father", "id_numbers.mother", "id_numbers.father",
    "id_number.check_digit", "id_card.expired", "birth_date.household", "deadline.late",
    "insurance.other_person", "photo.no_face", *[f"missing.{t}" for t in REQUIRED], "documents.unreadable",
]
# document slots: each has its own random stream, whatever else is in the application
SLOTS = ["birth_certificate", "id_card_front.mother", "id_card_back.mother", "id_card_front.father",
         "id_card_back.father", "household_register", "photo", "social_security_card", "extra"]


def expected_outcome(problem: str | None) -> dict:
    """Status, missing and check categories a correct pipeline reports for a planted problem."""
    out = {"status": "complete", "missing": [], "failing_checks": [], "review_checks": []}
    if problem is None:
        return out
    if problem.startswith("missing."):
        out.update(status="incomplete", missing=[problem.split(".", 1)[1]])
    elif problem == "documents.unreadable":
        out.update(status="needs_review", review_checks=["documents"])
    else:
        category = problem.split(".", 1)[0]
        out.update(status="inconsistent", failing_checks=[category])
    return out


def _one_month_before(d: date) -> date:
    y, m = (d.year, d.month - 1) if d.month > 1 else (d.year - 1, 12)
    for day in (d.day, 30, 29, 28):
        try:
            return date(y, m, day)
        except ValueError:
            continue
    raise AssertionError


def _family(rng, as_of: date, late: bool) -> dict:
    """The true facts: child and both parents, plus who holds the social security card."""
    month_before = _one_month_before(as_of)
    if late:  # clearly outside a one-calendar-month window
        born_day = month_before - timedelta(days=int(rng.integers(3, 46)))
    else:
        born_day = as_of - timedelta(days=int(rng.integers(1, min(28, (as_of - month_before).days - 1) + 1)))
    born = datetime(born_day.year, born_day.month, born_day.day, int(rng.integers(0, 24)), int(rng.integers(0, 60)))
    mother = people.make_parent(rng, "female", born_day, as_of)
    father = people.make_parent(rng, "male", born_day, as_of,
                                region=mother.region if rng.random() < 0.4 else None)
    child = people.make_child(rng, born, as_of, father, mother)
    aside = copy.deepcopy(rng)  # drawn apart: every other choice of the family stays what it was
    if people.transliterated_family(aside, father):
        people.transliterate(aside, mother, father, child)
    holder = "mother" if rng.random() < 0.5 else "father"
    ssc_issued = as_of - timedelta(days=int(rng.integers(60, 3000)))
    card_number = choice(rng, list("ABCDEFGHJKLMNPQRSTUVWXYZ")) + f"{int(rng.integers(0, 10**8)):08d}"
    return {"child": child, "mother": mother, "father": father, "holder": holder,
            "ssc_issued": ssc_issued, "card_number": card_number,
            "clerk": people.surname(rng) + people.given_name(rng, "female" if rng.random() < 0.5 else "male"),
            "station": _station(rng, child.household_region)}


def _station(rng, region: people.Region) -> str:
    county = region.county[:-1] if len(region.county) > 2 else region.county
    return county + choice(rng, ["城关", "东关", "新华", "南街", "和平", "北苑", "西城", "滨江"]) + "派出所"


def _iso(d) -> str:
    return d if isinstance(d, str) else d.isoformat()


def _documents(fam: dict) -> list[dict]:
    """Every document of a clean application: slot, type, person, truth fields, render-only extras."""
    c, m, f = fam["child"], fam["mother"], fam["father"]
    docs = [{
        "slot": "birth_certificate", "type": "birth_certificate", "person": "child",
        "fields": {"child_name": c.name, "child_sex": c.sex, "birth_date": c.born.date().isoformat(),
                   "mother_name": m.name, "mother_id_number": m.id_number, "father_name": f.name,
                   "father_id_number": f.id_number, "certificate_number": c.certificate_number},
        "extra": {"born": c.born, "weeks": c.weeks, "weight_g": c.weight_g, "length_cm": c.length_cm,
                  "health": c.health, "place": c.place.full, "hospital": c.hospital, "issued": c.cert_issued,
                  **{f"{k}_age": people.age_at(p.birth, c.born.date()) for k, p in (("mother", m), ("father", f))},
                  **{f"{k}_ethnicity": p.ethnicity for k, p in (("mother", m), ("father", f))},
                  **{f"{k}_address": p.address for k, p in (("mother", m), ("father", f))}},
    }]
    for who, p in (("mother", m), ("father", f)):
        docs.append({"slot": f"id_card_front.{who}", "type": "id_card_front", "person": who, "extra": {},
                     "fields": {"name": p.name, "sex": p.sex, "ethnicity": p.ethnicity,
                                "birth_date": p.birth.isoformat(), "address": p.address, "id_number": p.id_number}})
        docs.append({"slot": f"id_card_back.{who}", "type": "id_card_back", "person": who, "extra": {},
                     "fields": {"issuing_authority": p.authority, "valid_from": _iso(p.valid_from),
                                "valid_until": _iso(p.valid_until)}})
    docs.append({
        "slot": "household_register", "type": "household_register", "person": "child",
        "fields": {"name": c.name, "relation": c.relation, "sex": c.sex, "birth_date": c.born.date().isoformat(),
                   "id_number": c.id_number},
        "extra": {"birthplace": c.place.province + ("" if c.place.city == c.place.province else c.place.city),
                  "ethnicity": f.ethnicity, "clerk": fam["clerk"], "registered": c.registered,
                  "station": fam["station"]},
    })
    docs.append({"slot": "photo", "type": "photo", "person": "child", "fields": {}, "extra": {"face": True}})
    h = m if fam["holder"] == "mother" else f
    docs.append({"slot": "social_security_card", "type": "social_security_card", "person": fam["holder"],
                 "fields": {"name": h.name, "social_security_number": h.id_number,
                            "card_number": fam["card_number"]},
                 "extra": {"issued": fam["ssc_issued"]}})
    return docs


def _plant(problem: str | None, rng, fam: dict, as_of: date) -> tuple[list[dict], str]:
    """Apply the problem to the facts or the printed fields; returns the documents and a note."""
    f, c = fam["father"], fam["child"]
    who = "mother" if rng.random() < 0.5 else "father"
    parent: Person = fam[who]
    note = ""
    if problem == "id_number.check_digit":  # father's number is wrong everywhere it is printed
        good = f.id_number
        f.id_number = people.wrong_check_digit(rng, good)
        note = f"father's ID number printed as {f.id_number} (check digit of {good[:17]} is {good[17]})"
    elif problem == "id_card.expired":
        dates = people.expired_card_dates(rng, parent.birth, as_of)
        if dates is None:  # no expired card fits this parent's age: it is the other one's card
            who = "father" if who == "mother" else "mother"
            parent = fam[who]
            dates = people.expired_card_dates(rng, parent.birth, as_of)
        parent.valid_from, parent.valid_until = dates
        note = f"{who}'s ID card valid until {parent.valid_until}, before {as_of}"
    docs = _documents(fam)
    by = {d["slot"]: d for d in docs}
    cert, hh = by["birth_certificate"]["fields"], by["household_register"]["fields"]
    if problem == "names.child":
        hh["name"] = people.alter_one_char(rng, c.name, c.sex)
        note = f"household page says {hh['name']}, certificate {c.name}"
    elif problem in ("names.mother", "names.father"):
        key = problem.split(".")[1]
        p = fam[key]
        cert[f"{key}_name"] = printed = people.alter_one_char(rng, p.name, p.sex)
        note = f"certificate says {printed}, ID card {p.name}"
    elif problem in ("id_numbers.mother", "id_numbers.father"):
        key = problem.split(".")[1]
        cert[f"{key}_id_number"] = printed = people.other_valid_number(rng, fam[key].id_number)
        note = f"certificate has {printed}, ID card {fam[key].id_number} (both valid)"
    elif problem == "birth_date.household":
        # The household page carries a different date, and its child ID number encodes that
        # same (wrong) date, as a police station derives the number from what it registered:
        # only the cross-document birth_date check can catch it; each number stays valid.
        shift = int(rng.choice([-3, -2, -1, 1, 2, 3]))
        wrong = c.born.date() + timedelta(days=shift)
        if wrong >= as_of:
            wrong = c.born.date() - timedelta(days=abs(shift))
        hh["birth_date"] = wrong.isoformat()
        hh["id_number"] = people.make_id_number(rng, c.household_region, wrong, c.sex)
        note = f"household page {wrong}, certificate {c.born.date()}; child ID encodes the household date"
    elif problem == "insurance.other_person":
        sex = "female" if rng.random() < 0.5 else "male"
        stranger = people.make_parent(rng, sex, c.born.date(), as_of)
        ssc = by["social_security_card"]
        ssc["fields"].update(name=stranger.name, social_security_number=stranger.id_number)
        ssc["person"] = None  # it belongs to neither parent
        note = f"social security card of {stranger.name} {stranger.id_number}"
    elif problem == "photo.no_face":
        by["photo"]["extra"]["face"] = False
        note = "the photo shows a landscape or a still life, no face"
    elif problem == "documents.unreadable":
        note = "one extra file is not a decodable image"
    elif problem == "deadline.late":
        note = f"born {c.born.date()}, applied {as_of}"
    elif problem and problem.startswith("missing."):
        kind = problem.split(".", 1)[1]
        drop = f"{kind}.{who}" if kind.startswith("id_card") else kind
        docs = [d for d in docs if d["slot"] != drop]
        note = f"left out {drop}"
    return docs, note


@dataclass
class Plan:
    application_id: str
    problem: str | None
    note: str
    documents: list[dict]  # slot, type, person, fields (truth form), extra (render-only)
    plan_rng: np.random.Generator  # file grouping, order, names
    slot_rngs: dict[str, np.random.Generator]  # drawing and capture, one stream per slot


def plan_application(seed: int, as_of: date, problem: str | None = None, index: int = 1) -> Plan:
    """Decide everything about an application except pixels. Deterministic by seed."""
    if problem is not None and problem not in PROBLEMS:
        raise ValueError(f"unknown problem {problem!r}; choose from {PROBLEMS}")
    fam_ss, plan_ss, render_ss = np.random.SeedSequence(int(seed)).spawn(3)
    fam_rng, plan_rng = np.random.default_rng(fam_ss), np.random.default_rng(plan_ss)
    slot_rngs = {s: np.random.default_rng(ss) for s, ss in zip(SLOTS, render_ss.spawn(len(SLOTS)), strict=True)}
    app_id = f"APP-{index:04d}-{int(plan_rng.integers(0, 16 ** 6)):06x}"
    fam = _family(fam_rng, as_of, late=problem == "deadline.late")
    docs, note = _plant(problem, plan_rng, fam, as_of)
    return Plan(app_id, problem, note, docs, plan_rng, slot_rngs)


def problem_schedule(count: int, seed: int) -> list[str | None]:
    """Which problem each application of a set gets: ~40% clean (None), the rest cycling
    through PROBLEMS in a seeded order, so any set of 30 or more holds every problem."""
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0x5A4D]))
    n_clean = round(count * 0.4)
    # two other problems, then a missing document, and again: small sets get variety
    others = [str(p) for p in rng.permutation([p for p in PROBLEMS if not p.startswith("missing.")])]
    missing = [str(p) for p in rng.permutation([p for p in PROBLEMS if p.startswith("missing.")])]
    cycle = [x for i in range(len(missing)) for x in (*others[2 * i:2 * i + 2], missing[i])]
    plan: list[str | None] = [None] * n_clean + [cycle[i % len(cycle)] for i in range(count - n_clean)]
    return [plan[i] for i in rng.permutation(count)]

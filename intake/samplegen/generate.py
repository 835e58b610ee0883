"""Render a planned application: draw each document, capture it, write the files and the truth.

Layout on disk: out/<application_id>/<files as a phone or scanner named them>
and out/<application_id>.truth.json beside the folder, never inside it.
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

import numpy as np
from PIL import Image

from . import capture, cards, files, paper, photo
from .plan import PROBLEMS, expected_outcome, plan_application, problem_schedule

DIFFICULTIES = ("easy", "normal", "hard")
__all__ = ["DIFFICULTIES", "PROBLEMS", "generate_application", "generate_set"]
RENDER = {"birth_certificate": paper.birth_certificate, "household_register": paper.household_register,
          "id_card_front": cards.id_front, "id_card_back": cards.id_back,
          "social_security_card": cards.social_security}


def _capture_plan(rng, difficulty: str) -> str:
    if difficulty == "easy":
        return "scan"
    if difficulty == "hard":
        return "phone"
    return "phone" if rng.random() < 0.65 else "scan"


def _render(doc: dict, rng, kind: str, difficulty: str, dpi: int, layout: str) -> tuple[np.ndarray, dict]:
    """Draw one document and capture it; returns pixels and the capture record."""
    if doc["type"] == "photo":
        drawing = None
        if doc["extra"]["face"]:
            pixels, drawing = photo.child_photo(rng)
        else:
            pixels = photo.no_face(rng)
        if difficulty == "hard" or (difficulty == "normal" and rng.random() < 0.2):
            # a phone photo of the printed picture
            out, info = capture.phone(Image.fromarray(pixels), rng, difficulty == "hard", True)
        else:
            out, info = capture.digital(pixels, rng)
        info["font"] = None
        if drawing == "drawn":
            info["drawing"] = drawing
        return out, info
    extra = {**doc["extra"], "layout": layout} if doc["type"] == "birth_certificate" else doc["extra"]
    img, scale, font, size_mm = RENDER[doc["type"]](rng, doc["fields"], extra)
    is_card = doc["type"] not in ("birth_certificate", "household_register")
    if kind == "phone":
        out, info = capture.phone(img, rng, difficulty == "hard", is_card)
    else:
        out, info = capture.scan(img, rng, difficulty == "easy", scale, size_mm, dpi, card=is_card)
    info["font"] = font
    if doc["type"] == "birth_certificate":
        info["layout"] = layout
    return out, info


# Most applicants photograph a card's front and then its back (or the back first), one after the other;
# the rest hand in their files in any order.
SIDES_TOGETHER = 0.7


def _card_sides_together(groups: list[list], rng) -> list[list]:
    """The files in the order they were made: for SIDES_TOGETHER of applications, each ID card's back
    beside its front. Drawn apart from the seed's other choices: every document is drawn and captured as the
    seed gave it; only file names and order change (and, with a name, whether WeChat passed the file on)."""
    if rng.random() >= SIDES_TOGETHER:
        return groups
    for who in ("mother", "father"):
        slot = {g[0][0]["slot"]: g for g in groups if len(g) == 1}
        front, back = slot.get(f"id_card_front.{who}"), slot.get(f"id_card_back.{who}")
        if front is None or back is None:
            continue
        groups = [g for g in groups if g is not back]
        at = next(i for i, g in enumerate(groups) if g is front)
        groups.insert(at + 1 if rng.random() < 0.8 else at, back)
    return groups


def chosen_layout(certificate_layout: str, seed: int) -> str:
    """The application's certificate layout; for "mixed", drawn apart from the seed's other choices."""
    if certificate_layout != "mixed":
        return certificate_layout
    return paper.CERTIFICATE_LAYOUTS[int(np.random.default_rng([seed, 7]).integers(len(paper.CERTIFICATE_LAYOUTS)))]


def generate_application(out: Path, seed: int, as_of: date, problem: str | None = None,
                         difficulty: str = "normal", index: int = 1, certificate_layout: str = "ruled") -> Path:
    """Write one application folder under `out` and its truth file beside it; returns the folder.

    `problem` is one of PROBLEMS or None for a clean application. Deterministic by seed.
    `certificate_layout` is one of paper.CERTIFICATE_LAYOUTS or "mixed" (each application's own, drawn
    apart from the seed's other choices, so a set's other documents are the same in every layout).
    """
    if difficulty not in DIFFICULTIES:
        raise ValueError(f"difficulty must be one of {DIFFICULTIES}")
    out = Path(out)
    plan = plan_application(seed, as_of, problem, index)
    app_id, docs, note = plan.application_id, plan.documents, plan.note
    plan_rng, slot_rngs = plan.plan_rng, plan.slot_rngs
    primary = _capture_plan(plan_rng, difficulty)
    dpi = capture.scan_dpi(plan_rng, difficulty == "easy")
    certificate_layout = chosen_layout(certificate_layout, seed)

    rendered = []  # (doc, pixels, capture)
    for doc in docs:
        rng = slot_rngs[doc["slot"]]
        # in "normal", an applicant sometimes photographs one document and scans the rest (or the reverse)
        flip = difficulty == "normal" and rng.random() < 0.15
        kind = {"phone": "scan", "scan": "phone"}[primary] if flip else primary
        pixels, info = _render(doc, rng, kind, difficulty, dpi, certificate_layout)
        rendered.append((doc, pixels, info))

    # group into files: sometimes both sides of a scanned ID card go into one PDF
    groups = []
    for who in ("mother", "father"):
        pair = [r for r in rendered if r[0]["slot"] in (f"id_card_front.{who}", f"id_card_back.{who}")]
        if len(pair) == 2 and all(r[2]["kind"] == "scan" for r in pair) and plan_rng.random() < 0.5:
            groups.append(pair)
    paired = {id(r) for g in groups for r in g}
    groups += [[r] for r in rendered if id(r) not in paired]
    order = plan_rng.permutation(len(groups))
    groups = [groups[i] for i in order]
    groups = _card_sides_together(groups, np.random.default_rng([seed, 8]))

    folder = out / app_id
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    when = files.times(plan_rng, as_of, len(groups) + 1)
    habit = float(plan_rng.random())
    taken: set[str] = set()
    truth_docs = []
    for n, group in enumerate(groups):
        rng = slot_rngs[group[0][0]["slot"]]
        kind = group[0][2]["kind"]
        fmt = "pdf" if len(group) > 1 else files.pick_format(rng, "phone" if kind == "digital" else kind)
        quality = None
        if fmt in ("jpeg", "webp", "pdf", "heic"):
            quality = int(rng.integers(55, 63) if difficulty == "hard" else
                          rng.integers(55, 91) if kind == "phone" else rng.integers(75, 96))
        name = files.file_name(rng, "scan" if kind == "scan" else "phone", fmt, when[n], n + 1, habit)
        name = files.unique(name, taken)
        pages = [r[1] for r in group]
        sent = {}
        if difficulty == "normal" and kind == "phone" and fmt == "jpeg" and files.sent_by_wechat(name) \
                and rng.random() < 0.6:
            pages, quality = [files.wechat_sized(p) for p in pages], int(rng.integers(70, 86))
            sent = {"sent_by": "wechat", "size": [int(pages[0].shape[1]), int(pages[0].shape[0])]}
        files.save(folder / name, pages, fmt, quality, group[0][2].get("dpi"))
        for page, (doc, _, info) in enumerate(group, 1):
            truth_docs.append({"file": name, "page": page, "type": doc["type"], "person": doc["person"], "fields":
                               doc["fields"], "capture": {**info, **sent, "format": fmt, "jpeg_quality": quality}})
    if problem == "documents.unreadable":
        rng = slot_rngs["extra"]
        data, how = files.unreadable_bytes(rng, files.sample_jpeg(rendered[0][1]))
        name = files.unique(files.file_name(rng, "phone", "jpeg", when[-1], len(groups) + 1, habit), taken)
        (folder / name).write_bytes(data)
        truth_docs.append({"file": name, "page": 1, "type": "unreadable", "person": None, "fields": {},
                           "capture": {"kind": "broken", "how": how}})
        note = f"{name} is not an image ({how})"

    truth = {
        "application_id": app_id, "as_of": as_of.isoformat(), "region": "default", "seed": int(seed),
        "difficulty": difficulty, "expected": expected_outcome(problem),
        "planted": [problem] if problem else [], "note": note,
        "documents": sorted(truth_docs, key=lambda d: (d["file"], d["page"])),
    }
    (out / f"{app_id}.truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n",
                                              encoding="utf-8")
    return folder


def generate_set(out: Path, count: int, seed: int, as_of: date, difficulty: str = "normal",
                 workers: int = 1, problems: list[str] | None = None, certificate_layout: str = "ruled") -> list[Path]:
    """Write `count` applications under out/ and return their folders. Deterministic by seed.

    About 40% are clean; the rest cycle through PROBLEMS in a seeded order
    (see problem_schedule), so a set of 30 or more holds every problem.
    Applications are independent: with `workers` > 1 they are made in that many
    processes (same bytes). Those are "spawn"ed, which re-imports the caller's
    main module, so a calling script needs the `if __name__ == "__main__":` guard.
    `problems`, when given, are planted in turn in every application instead (none clean): a set that
    tests how a few problems are caught under many capture conditions.
    """
    if difficulty not in DIFFICULTIES:
        raise ValueError(f"difficulty must be one of {DIFFICULTIES}")
    jobs = [(Path(out), int(np.random.SeedSequence([int(seed), i + 1]).generate_state(1)[0]), as_of, problem,
             difficulty, i + 1, certificate_layout) for i, problem in enumerate(
                 [problems[i % len(problems)] for i in range(count)] if problems else problem_schedule(count, seed))]
    if workers <= 1 or multiprocessing.current_process().daemon:  # daemons may not start children
        return [generate_application(*job) for job in jobs]
    # "spawn": forking a process whose OpenCV/BLAS threads are running can deadlock
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(_generate_job, jobs))


def _generate_job(job: tuple) -> Path:
    return generate_application(*job)

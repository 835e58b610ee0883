"""The baby's photo on real pictures a package ships: a real face is found, a picture with none fails."""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np
import pytest
from skimage import data

from intake.ingest import decode_file
from intake.models import Document, DocumentType
from intake.ocr import DEFAULT_ENGINE, get_engine
from intake.photo import analyse_photo, check_photo, count_faces
from intake.pipeline import read_document


def bgr(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)


def saved(tmp_path: Path, name: str, image: np.ndarray, quality: int = 85) -> Path:
    path = tmp_path / name
    cv2.imwrite(str(path), image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    return path


@pytest.mark.parametrize("turns", [0, 1, 2, 3])
def test_the_astronaut_has_one_face_whichever_way_up(turns: int) -> None:
    astronaut = np.ascontiguousarray(np.rot90(bgr(data.astronaut()), turns))
    assert count_faces(astronaut) == 1


def test_pictures_without_a_person_have_no_face() -> None:
    for picture in (data.coffee(), data.rocket()):
        assert count_faces(bgr(picture)) == 0


def test_a_photo_of_the_astronaut_passes_and_a_photo_of_coffee_fails(tmp_path: Path) -> None:
    """Through the whole reading of a page, as a parent's upload: classified as the photo, then judged."""
    engine = get_engine(DEFAULT_ENGINE)
    # Upscaled to a phone picture's size: the card needs at least 300 px a side anyway.
    astronaut = cv2.resize(bgr(data.astronaut()), (1024, 1024), interpolation=cv2.INTER_CUBIC)
    coffee = cv2.resize(bgr(data.coffee()), (900, 600), interpolation=cv2.INTER_CUBIC)
    verdicts = {}
    for name, picture in (("IMG_0001.jpg", astronaut), ("IMG_0002.jpg", coffee)):
        page = decode_file(saved(tmp_path, name, picture), name)[0]
        document = read_document(page, engine)
        assert document.type == DocumentType.photo, (name, document.type, document.error)
        verdicts[name] = check_photo(document)
    assert verdicts["IMG_0001.jpg"].status == "pass"
    assert verdicts["IMG_0002.jpg"].status == "fail" and "找不到人脸" in verdicts["IMG_0002.jpg"].message


def test_a_photo_too_small_for_the_card_fails_even_with_a_face() -> None:
    small = cv2.resize(bgr(data.astronaut()), (200, 200), interpolation=cv2.INTER_AREA)
    check = check_photo(Document(file="photo.jpg", type=DocumentType.photo, fields=analyse_photo(small)))
    assert check.id == "photo.size" and check.status == "fail" and "200x200" in check.message


def test_an_upload_is_judged_at_its_own_size_and_a_black_and_white_one_without_a_face_goes_to_staff(tmp_path: Path) -> None:
    """Read as a parent's upload: a 200-pixel photo was blown up to the page size for reading and judged at
    that size (1800 pixels: passed); a standard one-inch photo (295 x 413) is big enough. A scanner's
    black-and-white mode leaves a light face a blank oval: no face found there is for staff, not a failure."""
    engine = get_engine(DEFAULT_ENGINE)

    def judged(name: str, picture: np.ndarray):
        document = read_document(decode_file(saved(tmp_path, name, picture, 95), name)[0], engine)
        assert document.type == DocumentType.photo, (name, document.type)
        return check_photo(document)

    small = judged("small.jpg", cv2.resize(bgr(data.astronaut()), (200, 200), interpolation=cv2.INTER_AREA))
    assert small.id == "photo.size" and small.status == "fail"
    width, height = (int(side) for side in re.search(r"(\d+)x(\d+)", small.message).groups())
    assert max(width, height) == 200  # its own pixels (the white margin trimmed off at most)
    portrait = bgr(data.astronaut())[:, 73:439]  # cut to a one-inch photo's shape, then to its size
    one_inch = judged("one_inch.jpg", cv2.resize(portrait, (295, 413), interpolation=cv2.INTER_AREA))
    assert one_inch.status == "pass"
    grey = cv2.cvtColor(cv2.resize(bgr(data.coffee()), (900, 600)), cv2.COLOR_BGR2GRAY)
    _, black_and_white = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    copied = judged("copy.jpg", cv2.cvtColor(black_and_white, cv2.COLOR_GRAY2BGR))
    assert copied.status == "review"


def test_a_black_and_white_copy_of_a_light_photo_is_the_photo_for_staff_and_a_blank_copy_is_nothing(tmp_path: Path) -> None:
    """Normal set seed 71, application 19, copied in black and white (bench/variants.py fax): the baby's light
    face is a white page with eyes, mouth and hair on it, no text and no tones, and was read as no document
    (the application then lacked its photo). It is the photo, its face count for staff; a blank sheet copied
    so, with a few specks of toner, is still no document."""
    from tests.test_stages import read_documents_of

    _, report = read_documents_of(tmp_path, 158785119, 19, "photo", difficulty="normal", condition="fax")
    photo = report.documents[0]
    assert photo.type == DocumentType.photo
    assert check_photo(photo).status == "review"
    blank = np.full((2000, 1400), 255, np.uint8)
    blank[np.random.default_rng(1).random(blank.shape) < 0.001] = 0
    page = decode_file(saved(tmp_path, "blank.jpg", cv2.cvtColor(blank, cv2.COLOR_GRAY2BGR), 90), "blank.jpg")[0]
    assert read_document(page, get_engine(DEFAULT_ENGINE)).type == DocumentType.unknown


def test_a_childs_photo_drawn_flat_is_the_photo_with_one_face_and_a_landscape_still_has_none(tmp_path: Path) -> None:
    """A cartoon-like drawing (a flat oval, dot eyes, a curved mouth) has no shading for the alt cascade:
    it was no face, and with its few flat tones often no photo either (all five of normal set seed 5's were
    read as no document), so the application lacked its photo.
    Normal set seed 5, application 10: a drawn photo photographed on a desk, one face, the application
    complete. Drawn faces in other colours and sizes are found, and pictures without a face still fail."""
    from intake.samplegen import photo as samplegen_photo
    from tests.test_stages import read_documents_of

    truth, report = read_documents_of(tmp_path, 1117149863, 10, "photo", difficulty="normal")
    assert next(d for d in truth["documents"] if d["type"] == "photo")["capture"]["drawing"] == "drawn"
    photo = report.documents[0]
    assert photo.type == DocumentType.photo and check_photo(photo).status == "pass"

    drawn = [bgr(samplegen_photo.drawn_face(np.random.default_rng(seed))) for seed in range(1000, 1040)]
    # 37 of these 40 (29 before faces in grey, in outline or asleep were looked for); 186 of 200 from seed 1000 on.
    assert sum(count_faces(picture) == 1 for picture in drawn) >= 37
    # Hair or a hat drawn over the forehead leaves skin wider than high (15 of 200 were missed so).
    assert all(count_faces(drawn[seed - 1000]) == 1 for seed in (1020, 1036))
    # A grey copy (no skin's colour), a white face drawn in outline on clothes of skin's colour, eyes shut.
    assert all(count_faces(drawn[seed - 1000]) == 1 for seed in (1022, 1027, 1031, 1021, 1024))
    scenes = [bgr(samplegen_photo.no_face(np.random.default_rng(seed))) for seed in range(20)]
    assert all(count_faces(scene) == 0 for scene in scenes)
    assert count_faces(bgr(data.clock())) == 0  # a clock's face in the middle of the picture is no face


def test_no_face_found_on_a_grey_photo_is_for_staff_and_on_a_coloured_one_fails() -> None:
    """A grey print or copy takes skin's colour away, by which a face drawn flat is found, and may leave the
    face near the background's grey: no face found there proves little. In colour it still fails."""
    from intake.samplegen import photo as samplegen_photo

    scene = bgr(samplegen_photo.no_face(np.random.default_rng(3)))
    grey = cv2.cvtColor(cv2.cvtColor(scene, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    judged = {name: check_photo(Document(file=f"{name}.jpg", page=1, type=DocumentType.photo,
                                         fields=analyse_photo(picture)))
              for name, picture in (("colour", scene), ("grey", grey))}
    assert judged["colour"].status == "fail"
    assert judged["grey"].status == "review" and "黑白" in judged["grey"].message


def under_a_lamp(picture: np.ndarray, glare: float = 0.6, shadow: float = 0.45) -> np.ndarray:
    """The print photographed under a desk lamp: washed towards white around a spot up and left, and the
    lower right corner in the phone's shadow."""
    h, w = picture.shape[:2]
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    spot = np.exp(-((x - 0.35 * w) ** 2 + (y - 0.3 * h) ** 2) / (2 * (0.25 * w) ** 2))[..., None]
    lit = picture.astype(np.float32) * (1 - shadow * np.clip((x / w + y / h - 1.0) * 3, 0, 1))[..., None]
    return np.clip(lit + (255 - lit) * glare * spot, 0, 255).astype(np.uint8)


def test_a_drawn_face_under_a_lamp_and_a_shadow_is_still_a_face_and_a_landscape_so_lit_is_not() -> None:
    """Hard set seed 11: seven of sixteen drawn photos, taken under a lamp's glare with a shadow across,
    failed 照片中找不到人脸: the face's one colour ran from washed out to dark, no longer one skin-coloured
    part. The photo check evens the light out before it gives up (three of the seven found since)."""
    from intake.samplegen import photo as samplegen_photo

    drawn = [under_a_lamp(bgr(samplegen_photo.drawn_face(np.random.default_rng(seed)))) for seed in range(1000, 1040)]
    def judged(picture: np.ndarray) -> str:
        return check_photo(Document(file="IMG_2041.jpg", page=1, type=DocumentType.photo,
                                    fields=analyse_photo(picture))).status

    # 22 of these 40 were found before the light was evened, 30 since.
    assert sum(judged(picture) == "pass" for picture in drawn) >= 28
    assert judged(drawn[3]) == "pass"
    scenes = [under_a_lamp(bgr(samplegen_photo.no_face(np.random.default_rng(seed)))) for seed in range(20)]
    assert all(judged(scene) == "fail" for scene in scenes)

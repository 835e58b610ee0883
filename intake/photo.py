"""The baby's photo: one face, a plain background, big enough to print on a card.

Faces are found with OpenCV's Haar cascade, which the opencv-python-headless
4.x wheel ships (5.x dropped the cascade files, hence the pin).
"""

from __future__ import annotations

import hashlib
import itertools

import cv2
import numpy as np

from intake.models import Check, Document, FieldValue

# Pixels: the standard one-inch photo (一寸照) is 295 x 413 at 300 dpi; smaller prints blurry on the card.
MIN_SIDE = 295
_cascades: dict[str, cv2.CascadeClassifier] = {}


def _face_cascade(name: str = "alt") -> cv2.CascadeClassifier:
    # "alt" first: on 105 views (the benchmark's baby photos, scikit-image's astronaut, coffee, rocket,
    # cat... at several sizes and turns) the default cascade made 21 mistakes, alt2 6 (faces in coffee
    # cups), alt none. But alt misses most drawn faces (a flat oval, two dots, a curve), which the default
    # finds: that one is asked only where alt found none, and only for a face filling the middle of the
    # picture, as a portrait's does (see _portrait_face).
    if name not in _cascades:
        _cascades[name] = cv2.CascadeClassifier(cv2.data.haarcascades + f"haarcascade_frontalface_{name}.xml")
    return _cascades[name]


_counted: dict[tuple, int] = {}


def count_faces(image: np.ndarray) -> int:
    """Faces in the photo, whichever way up it was taken (a photo has no text to say which way is up).

    Remembered for the last few pictures: classifying a page as the photo counts its faces, and
    judging the photo then asks again about the same pixels."""
    key = (image.shape, hashlib.sha1(np.ascontiguousarray(image[::7, ::7]).tobytes()).hexdigest())
    if key not in _counted:
        if len(_counted) > 8:
            _counted.clear()
        turned = _turned(image)
        greys = [_equalised(view) for view in turned]
        _counted[key] = max(len(_faces_upright(grey, "alt")) for grey in greys) \
            or max(_portrait_face(view, grey) or _drawn_face(view) for view, grey in zip(turned, greys))
    return _counted[key]


def _turned(image: np.ndarray) -> list[np.ndarray]:
    """The picture each way up: a photo has no text to say which way is up."""
    return [np.ascontiguousarray(np.rot90(image, turns)) for turns in range(4)]


def _equalised(image: np.ndarray) -> np.ndarray:
    grey = _grey(image)
    scale = min(1.0, 800 / max(grey.shape))
    return cv2.equalizeHist(cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))


def _faces_upright(grey: np.ndarray, cascade: str, neighbours: int = 5) -> np.ndarray:
    min_size = max(30, min(grey.shape) // 8)
    faces = _face_cascade(cascade).detectMultiScale(grey, scaleFactor=1.1, minNeighbors=neighbours,
                                                    minSize=(min_size, min_size))
    return np.reshape(faces, (-1, 4))


# A portrait's face: at least this share of the picture's width, its centre in the middle of the width and
# neither at the very top nor in the bottom quarter.
PORTRAIT_WIDTH = 0.3
# Fewer neighbours than alt's 5: on 180 views of drawn portraits 3 found 135 (5: 120, 2: 139), and on 871
# pictures without a face (landscapes, still lifes, scikit-image's, 234 photographed documents) saw faces
# in 4 documents more than alt alone (2: a landscape too).
PORTRAIT_NEIGHBOURS = 3
# Skin in YCrCb's chroma (Cr, Cb), the usual box: any skin, light or dark.
SKIN_LOW, SKIN_HIGH = (133, 77), (173, 127)


def _portrait_face(image: np.ndarray, grey: np.ndarray) -> int:
    """1 where the default cascade finds a face filling the middle of the picture (`grey`: it equalised) as
    an ID photo's does, skin-coloured (a clock's white face in the middle of a picture is found too)."""
    h, w = grey.shape
    scale = image.shape[1] / w
    return int(any(fw >= PORTRAIT_WIDTH * w and 0.3 * w <= x + fw / 2 <= 0.7 * w and 0.15 * h <= y + fh / 2 <= 0.75 * h
                   and _skin(image[int((y + fh / 4) * scale):int((y + fh * 3 / 4) * scale),
                                   int((x + fw / 4) * scale):int((x + fw * 3 / 4) * scale)])
                   for x, y, fw, fh in _faces_upright(grey, "default", PORTRAIT_NEIGHBOURS)))


def _drawn_face(image: np.ndarray) -> int:
    """1 for a face drawn flat (a cartoon: no shading for a cascade to find): a skin-coloured oval in the
    middle of the picture holding two dark spots side by side in its upper part, as eyes are; or, in no
    skin colour, an evenly coloured oval there holding them."""
    return int(image.ndim == 3 and _drawn_face_in(_small(image)))


def _small(image: np.ndarray) -> np.ndarray:
    """300 pixels across (a drawn face's oval and eyes need no more, and flood fills stay quick), and no
    more than 900 high: a strip three times as tall as wide is no portrait, only slow to look at."""
    h, w = image.shape[:2]
    across = 300 if h <= 3 * w else max(1, w * 900 // h)
    return cv2.resize(image, (across, max(1, int(h * (across / w)))), interpolation=cv2.INTER_AREA)


def _drawn_face_in(small: np.ndarray) -> bool:
    # As lit and with the lamp's colour cast taken out: the cast can take a face out of skin's colours, and
    # taking it out can too, where the face is the picture's brightest part.
    for view in (small, _balanced(small)):
        skin = cv2.inRange(cv2.cvtColor(view, cv2.COLOR_BGR2YCrCb), (60, *SKIN_LOW), (255, *SKIN_HIGH))
        _, labels, stats, _ = cv2.connectedComponentsWithStats(skin)
        grey = cv2.cvtColor(view, cv2.COLOR_BGR2GRAY)
        # The largest few skin-coloured parts: a peach paper or a wooden desk may be larger than the head.
        largest = 1 + np.argsort(-stats[1:, cv2.CC_STAT_AREA])[:3]
        if any(_eyes_in_head(labels == part, stats[part], grey) for part in largest):
            return True
    grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    return any(_oval(head) and _eyes_in_head(head, _box(head), grey) for head in _even_middles(small))


# A print photographed under a lamp or in a phone's shadow: a drawn face's one colour runs from washed out to
# dark across it, and is no longer one skin-coloured part or one even region. Divided by the light as the
# picture blurred far wider than an eye shows it, it is one colour again. The blur's sigma, as shares of the
# picture's long side: on the hard set's photos each alone found a face the other missed.
LIGHT_WIDTHS = (0.1, 0.2)


def _drawn_face_in_uneven_light(image: np.ndarray) -> bool:
    """A face drawn flat, found with the light evened, whichever way up. Asked only of a page already told
    to be the photo: so evened, a third of the hard set's ID card backs (their emblem) looked like one.
    A black-and-white copy has no light left to even; evening a white sheet on a dark desk makes an oval."""
    if image.ndim != 3 or two_tone(image):
        return False
    return any(_drawn_face_in(_evened_light(_small(view), width)) for view in _turned(image) for width in LIGHT_WIDTHS)


# Pixels on the long side the light is worked out at: it varies far more slowly than that, and a blur as wide
# as the light's on the whole picture takes a tenth of a second a view (at 64 one face of the hard set's was lost).
LIGHT_SIDE = 100


def _evened_light(image: np.ndarray, width: float) -> np.ndarray:
    lit = image.astype(np.float32)
    h, w = image.shape[:2]
    scale = LIGHT_SIDE / max(h, w)
    coarse = cv2.resize(lit, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    light = cv2.resize(cv2.GaussianBlur(coarse, (0, 0), width * LIGHT_SIDE), (w, h), interpolation=cv2.INTER_LINEAR)
    return np.clip(lit / np.maximum(light, 1) * light.reshape(-1, 3).mean(axis=0), 0, 255).astype(np.uint8)


# Where in a portrait the face's skin is (shares of width and height): between and below the eyes.
MIDDLE_SEEDS = ((0.5, 0.3), (0.5, 0.38), (0.5, 0.5), (0.4, 0.55), (0.6, 0.55))
# How far in each colour channel a face drawn flat strays from its middle's colour: as far as a little light
# or blur makes it, or less, where a grey copy leaves the face near the background's grey.
EVEN = (18, 8)


def _even_middles(image: np.ndarray) -> list[np.ndarray]:
    """The evenly coloured regions holding the middle of the picture: a face drawn in no skin colour (a
    grey copy, a white face in outline) or on clothes of skin's colour, which the skin's part runs into."""
    smooth = cv2.medianBlur(image, 3)
    h, w = smooth.shape[:2]
    regions = []
    for (sx, sy), even in itertools.product(MIDDLE_SEEDS, EVEN):
        mask = np.zeros((h + 2, w + 2), np.uint8)
        cv2.floodFill(smooth, mask, (int(sx * w), int(sy * h)), 0, (even,) * 3, (even,) * 3,
                      4 | cv2.FLOODFILL_MASK_ONLY | cv2.FLOODFILL_FIXED_RANGE | (255 << 8))
        region = mask[1:-1, 1:-1] > 0
        if not any((region == seen).all() for seen in regions):
            regions.append(region)
    return regions


# How much of the region with its holes filled and of the ellipse fitted to it overlap (intersection over
# union): a drawn head, hair cut off its top or ears on its sides, against a ragged part of a card.
OVAL_OVERLAP = 0.88
# A drawn face's features: eyes, brows, nose, mouth, cheeks; a page of text holds far more.
MOST_FEATURES = 8


def _oval(region: np.ndarray) -> bool:
    """The region with its holes filled is an ellipse with a few features in it, not a page of text."""
    holes = _holes(region)
    return _oval_overlap(region, holes) >= OVAL_OVERLAP and cv2.connectedComponents(holes)[0] - 1 <= MOST_FEATURES


def _holes(region: np.ndarray) -> np.ndarray:
    h, w = region.shape
    outside = (~region).astype(np.uint8) * 255
    cv2.floodFill(outside, np.zeros((h + 2, w + 2), np.uint8), (0, 0), 0)
    return outside


def _oval_overlap(region: np.ndarray, holes: np.ndarray) -> float:
    filled = ((holes > 0) | region).astype(np.uint8)
    contours, _ = cv2.findContours(filled, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    outline = max(contours, key=cv2.contourArea)
    if len(outline) < 5:
        return 0.0
    ellipse = np.zeros_like(filled)
    cv2.ellipse(ellipse, cv2.fitEllipse(outline), 1, -1)
    return float(np.count_nonzero(ellipse & filled) / max(1, np.count_nonzero(ellipse | filled)))


def _box(region: np.ndarray) -> np.ndarray:
    ys, xs = np.nonzero(region)
    return np.array([xs.min(), ys.min(), xs.max() - xs.min() + 1, ys.max() - ys.min() + 1, len(xs)])


def _eyes_in_head(head: np.ndarray, box: np.ndarray, grey: np.ndarray) -> bool:
    x, y, hw, hh, area = box
    h, w = head.shape
    centre = x + hw / 2
    # Hair drawn over the forehead leaves the skin of a head with its ears wider than high (0.69).
    if not (0.2 * w <= hw <= 0.9 * w and 0.35 * w <= centre <= 0.65 * w and 0.6 <= hh / hw <= 1.7):
        return False
    # The oval with its holes filled: the eyes are holes in the skin.
    holes = _holes(head) > 0
    if (area + holes.sum()) < 0.5 * hw * hh:  # an oval fills 0.79 of its box; ears and hair widen the box
        return False
    dark = ((grey < float(np.median(grey[head])) - 60) & holes).astype(np.uint8)
    _, _, spots, centres = cv2.connectedComponentsWithStats(dark)
    eyes = [(cx, cy, a) for (_, _, sw, sh, a), (cx, cy) in zip(spots[1:], centres[1:])
            # (a shut eye is a thin curved line: wide, of little area)
            if (a >= 0.002 * hw * hh or sw >= 0.1 * hw) and y + 0.15 * hh <= cy <= y + 0.65 * hh
            and max(sw, sh) <= 0.3 * hw]
    # Side by side, level, either side of the middle, of a size (a blurred brow may run into one).
    return any(0.25 * hw <= abs(a[0] - b[0]) <= 0.8 * hw and abs(a[1] - b[1]) <= 0.08 * hh
               and abs((a[0] + b[0]) / 2 - centre) <= 0.12 * hw and max(a[2], b[2]) <= 3 * min(a[2], b[2])
               for i, a in enumerate(eyes) for b in eyes[i + 1:])


def _balanced(image: np.ndarray) -> np.ndarray:
    """The picture with a lamp's colour cast taken out: each channel scaled so its brightest part (a
    portrait's light ground) is white, as a camera's white balance would (a green-lit pale face is no skin)."""
    top = np.percentile(image.reshape(-1, 3), 97, axis=0).clip(1, None)
    return np.clip(image.astype(np.float32) * (245.0 / top), 0, 255).astype(np.uint8)


def _skin(patch: np.ndarray) -> bool:
    """The patch's middle colour is a skin tone."""
    if patch.ndim != 3 or patch.size == 0:
        return False
    _, cr, cb = np.median(cv2.cvtColor(patch, cv2.COLOR_BGR2YCrCb).reshape(-1, 3), axis=0)
    return SKIN_LOW[0] <= cr <= SKIN_HIGH[0] and SKIN_LOW[1] <= cb <= SKIN_HIGH[1]


def plain_background(image: np.ndarray) -> bool:
    """Above and beside the head a passport-style photo is one even colour (gradual light allowed)."""
    grey = _grey(image)
    h, w = grey.shape
    grey = cv2.medianBlur(grey[h // 20:h - h // 20, w // 20:w - w // 20], 5)
    h, w = grey.shape
    band = max(4, min(h, w) // 10)
    strips = [grey[:band, :], grey[:h // 2, :band], grey[:h // 2, -band:]]
    # Judge each strip on its own so light falling off across the photo does not count as clutter.
    return all(float(np.std(strip)) < 25 for strip in strips)


# A photo this share of whose pixels are near black or near white is a black-and-white copy (a scanner's
# document mode): a face drawn in light tones is a blank oval there, so no face found proves little.
TWO_TONE = 0.97
# How sure no face found is on such a copy, or a grey one (below): below validation's trust, so staff look.
FACES_ON_TWO_TONES = 0.3


def two_tone(image: np.ndarray) -> bool:
    grey = _grey(image)
    return float(np.mean((grey < 40) | (grey > 215))) >= TWO_TONE


# A picture whose colours stray less than this from grey on average (YCrCb's chroma) is a grey print or copy:
# a drawn face's skin has no colour there, and a face drawn near the background's grey is not told from it.
GREY_CHROMA = 4


def colourless(image: np.ndarray) -> bool:
    if image.ndim == 2:
        return True
    chroma = cv2.cvtColor(_no_larger(image, 300), cv2.COLOR_BGR2YCrCb)[..., 1:].astype(np.int16) - 128
    return float(np.mean(np.abs(chroma))) < GREY_CHROMA


def analyse_photo(*candidates: np.ndarray) -> dict[str, FieldValue]:
    """Faces, background and size of the photo: the first candidate view (the print found on the desk,
    then the whole picture, which comes last) in which a face shows; where none does, the first in which a
    face drawn flat shows with the light evened.

    No view is looked at larger than the whole picture: a small picture's part blown up is no sharper, and
    the face detector saw a face in a mug blown up five times (and the size said 1800 pixels of a 441)."""
    side = max(candidates[-1].shape[:2])
    views = [_no_larger(view, side) for view in candidates]
    # Every view as classification looked at it, then, where none showed a face, with the light evened.
    looks = itertools.chain(((count_faces(view), view) for view in views),
                            ((int(_drawn_face_in_uneven_light(view)), view) for view in views))
    faces, image = next(((n, view) for n, view in looks if n > 0), (0, views[-1]))
    h, w = image.shape[:2]
    sure = FACES_ON_TWO_TONES if faces == 0 and (two_tone(image) or colourless(image)) else 0.9
    return {
        "faces": FieldValue(value=str(faces), confidence=sure),
        "plain_background": FieldValue(value="yes" if plain_background(image) else "no", confidence=0.7),
        "size": FieldValue(value=f"{w}x{h}", confidence=1.0),
    }


def _grey(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image


def _no_larger(image: np.ndarray, side: int) -> np.ndarray:
    scale = side / max(image.shape[:2])
    return image if scale >= 1 else cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def check_photo(photo: Document | None) -> Check:
    if photo is None:
        return Check(id="photo.face", status="skipped", message="缺少新生儿照片 / no photo of the child")
    faces = photo.fields.get("faces")
    size = photo.fields.get("size")
    if size and size.value:
        w, h = (int(v) for v in size.value.split("x"))
        if min(w, h) < MIN_SIDE:
            return Check(id="photo.size", status="fail",
                         message=f"照片太小（{w}x{h}），至少 {MIN_SIDE} 像素 / photo too small ({w}x{h}); at least {MIN_SIDE} px")
    count = int(faces.value) if faces and faces.value else 0
    if count == 0 and faces is not None and faces.confidence <= FACES_ON_TWO_TONES:
        return Check(id="photo.face", status="review",
                     message="黑白照片上找不到人脸，请人工核对 / no face found on a black-and-white photo: check it by eye")
    if count == 0:
        return Check(id="photo.face", status="fail", message="照片中找不到人脸 / no face found in the photo")
    if count > 1:
        return Check(id="photo.face", status="fail", message=f"照片中有 {count} 张人脸，应只有一张 / {count} faces in the photo; one expected")
    # plain_background is reported as a field but does not decide anything yet: on phone shots of a
    # printed photo it flags too many good photos (see bench/accuracy.py false alarms).
    return Check(id="photo.face", status="pass", message="照片中有一张人脸 / one face in the photo")

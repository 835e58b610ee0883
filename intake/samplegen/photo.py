"""The child's photo: a drawn baby face, or (planted problem) a picture with no face.

No real person's photo is used. The face is painted from shaded ellipses with
the light/dark structure a Haar frontal-face cascade keys on: a lit forehead,
darker eye sockets under brows, a lighter nose bridge between them, a shadow
under the nose and a mouth. Faces are drawn on a 600 x 800 canvas and resized
to an ID-photo size, so the face takes most of the frame as in a real
证件照.
"""

from __future__ import annotations

import cv2
import numpy as np

BACKGROUNDS = [(250, 250, 250), (236, 240, 246), (214, 232, 250), (67, 142, 219), (236, 236, 232), (222, 54, 48)]
SKIN = [(250, 214, 192), (242, 202, 178), (236, 192, 166), (226, 180, 150), (248, 222, 204)]
CLOTHES = [(240, 240, 240), (250, 210, 220), (190, 220, 245), (250, 236, 180), (200, 230, 200), (230, 90, 90)]
# ID-photo sizes in pixels (1 inch, small 2 inch, 2 inch at 300 dpi, phone exports)
SIZES = [(295, 413), (358, 441), (413, 579), (390, 567), (480, 640), (600, 800), (720, 960), (531, 709)]
W, H = 360, 480  # drawing canvas; blur radii below are in these pixels


def _ellipse_mask(cx, cy, ax, ay, angle=0.0) -> np.ndarray:
    m = np.zeros((H, W), np.uint8)
    cv2.ellipse(m, (int(cx), int(cy)), (int(ax), int(ay)), angle, 0, 360, 255, -1, cv2.LINE_AA)
    return m.astype(np.float32) / 255.0


def _spot(img, ellipse, colour, strength=1.0, blur=0):
    """Blend a (blurred) filled ellipse of `colour` into img, touching only its bounding box."""
    cx, cy, ax, ay, *angle = ellipse
    pad = int(3 * blur * 0.6) + 2
    r = int(max(ax, ay)) + pad
    x0, y0 = max(0, int(cx) - r), max(0, int(cy) - r)
    x1, y1 = min(W, int(cx) + r + 1), min(H, int(cy) + r + 1)
    if x1 <= x0 or y1 <= y0:
        return
    m = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.ellipse(m, (int(cx) - x0, int(cy) - y0), (int(ax), int(ay)), angle[0] if angle else 0.0, 0, 360, 255, -1,
                cv2.LINE_AA)
    _blend(img[y0:y1, x0:x1], m.astype(np.float32) / 255.0, colour, strength, blur)


def _blend(img, mask, colour, strength=1.0, blur=0):
    if blur:
        mask = cv2.GaussianBlur(mask, (0, 0), blur * 0.6)
    a = (mask * strength)[..., None]
    img[:] = img * (1 - a) + np.array(colour, np.float32) * a


def baby_face(rng) -> np.ndarray:
    """An RGB uint8 ID-style photo of a drawn baby.

    The strengths below were tuned against haarcascade_frontalface_default:
    the shadow band across both eye sockets and the shaded sides of the nose
    matter most (without the band detection drops from ~100% to ~65%).
    """
    bg = np.array(BACKGROUNDS[int(rng.integers(len(BACKGROUNDS)))], np.float32)
    img = np.ones((H, W, 3), np.float32) * bg
    img *= np.linspace(1.03, 0.93, H, dtype=np.float32)[:, None, None]  # studio lamp falloff
    skin = np.array(SKIN[int(rng.integers(len(SKIN)))], np.float32) + rng.uniform(-8, 8, 3)
    cx = W / 2 + rng.uniform(-15, 15)
    cy = H * rng.uniform(0.43, 0.48)
    fw = W * rng.uniform(0.28, 0.34)  # half width of the head
    fh = fw * rng.uniform(1.1, 1.2)
    _spot(img, (cx, cy + fh * 1.75, fw * 1.9, fh * 0.9), CLOTHES[int(rng.integers(len(CLOTHES)))], 1, 2)
    for side in (-1, 1):  # ears
        _spot(img, (cx + side * fw * 0.98, cy + fh * 0.05, fw * 0.16, fh * 0.22), skin * 0.85, 1, 2)
    # the head, shaded darker towards the rim so it reads as round
    head = _ellipse_mask(cx, cy, fw, fh, rng.uniform(-5, 5))
    yy, xx = np.mgrid[0:H, 0:W].astype(np.float32)
    r2 = ((xx - cx) / fw) ** 2 + ((yy - cy) / fh) ** 2
    shade = np.clip(1.05 - 0.3 * r2, 0.6, 1.1)[..., None]
    a = cv2.GaussianBlur(head, (0, 0), 2)[..., None]
    img[:] = img * (1 - a) + (skin * shade) * a
    if rng.random() < 0.6:  # thin baby hair on top
        hair = _ellipse_mask(cx, cy - fh * 0.7, fw * 0.75, fh * 0.32) * head
        _blend(img, hair, (80, 60, 50), rng.uniform(0.15, 0.4), 8)
    ey = cy - fh * rng.uniform(0.02, 0.1)
    ex = fw * rng.uniform(0.36, 0.42)
    eyes_open = rng.random() < 0.75
    _spot(img, (cx, ey, fw * 0.75, fh * 0.13), skin * 0.7, 0.6, 10)  # shadow band over the eyes
    for side in (-1, 1):
        x = cx + side * ex
        _spot(img, (x, ey, fw * 0.24, fh * 0.11), skin * 0.5, 0.4, 8)  # eye socket
        _spot(img, (x, ey - fh * 0.17, fw * 0.2, fh * 0.035, side * 5), (100, 75, 60), 0.8, 3)  # brow
        if eyes_open:
            _spot(img, (x, ey, fw * 0.14, fh * 0.055), (235, 230, 225), 1, 1)
            _spot(img, (x, ey, fw * 0.07, fh * 0.055), (35, 25, 20), 1, 1)
            _spot(img, (x + fw * 0.02, ey - fh * 0.02, fw * 0.02, fw * 0.02), (255, 255, 255), 0.8, 0)
        else:  # a sleeping baby: only the lash line
            _spot(img, (x, ey + fh * 0.01, fw * 0.13, fh * 0.025), (50, 35, 30), 1, 1.5)
    # nose: a lit bridge between shaded sides, a shadow below and nostrils
    _spot(img, (cx, ey + fh * 0.12, fw * 0.08, fh * 0.16), np.minimum(skin * 1.1, 255), 0.5, 6)
    for side in (-1, 1):
        _spot(img, (cx + side * fw * 0.12, ey + fh * 0.2, fw * 0.04, fh * 0.12), skin * 0.75, 0.6, 5)
    _spot(img, (cx, ey + fh * 0.32, fw * 0.16, fh * 0.05), skin * 0.62, 0.8, 5)
    for side in (-1, 1):
        _spot(img, (cx + side * fw * 0.06, ey + fh * 0.32, fw * 0.03, fh * 0.02), (110, 70, 60), 0.8, 1)
        _spot(img, (cx + side * fw * 0.5, ey + fh * 0.32, fw * 0.2, fh * 0.13), (240, 150, 140), 0.25, 12)
    my = ey + fh * rng.uniform(0.5, 0.56)  # mouth, with a shadow under the lower lip
    _spot(img, (cx, my, fw * rng.uniform(0.16, 0.24), fh * 0.045), (185, 80, 80), 0.95, 1.5)
    _spot(img, (cx, my + fh * 0.1, fw * 0.18, fh * 0.04), skin * 0.8, 0.6, 6)
    img = cv2.GaussianBlur(img, (0, 0), 0.8)
    img += rng.normal(0, 2.5, img.shape).astype(np.float32)
    out = np.clip(img, 0, 255).astype(np.uint8)
    w, h = SIZES[int(rng.integers(len(SIZES)))]
    return cv2.resize(out, (w, h), interpolation=cv2.INTER_LINEAR)


# A share of children's photos is a flat drawing rather than the painted face above: another maker's
# synthetic photos are drawn some other way, and the reader must not know only one way of drawing a face.
DRAWN_SHARE = 0.25
SKIN_DRAWN = [(250, 214, 192), (242, 202, 178), (236, 192, 166), (214, 168, 132), (176, 124, 92), (248, 222, 204)]
# Clothes of skin's colour too (a beige romper): the head's skin-coloured part runs into them.
CLOTHES_DRAWN = CLOTHES + [(236, 200, 170), (214, 170, 130), (250, 222, 200)]
HATS = [(250, 180, 200), (170, 200, 250), (250, 240, 200), (200, 60, 60)]


def child_photo(rng) -> tuple[np.ndarray, str]:
    """The child's photo and how it was made: "painted" (baby_face) or, for DRAWN_SHARE, "drawn".

    The choice is drawn from a copy of the generator's state, so a painted photo takes the same draws,
    and is the same picture, as before drawn ones existed."""
    peek = np.random.default_rng(rng.bit_generator.state["state"]["state"])
    if peek.random() < DRAWN_SHARE:
        return drawn_face(rng), "drawn"
    return baby_face(rng), "painted"


def drawn_face(rng) -> np.ndarray:
    """An RGB uint8 ID-style photo of a child drawn flat, as a cartoon is: an oval head, dot or almond eyes,
    a curved mouth; hair or a hat, brows, ears, cheeks and an outline or not; eyes open or shut; a line drawing
    on white; clothes of any colour, the skin's too; in colour or a grey copy; softened by a little blur or not."""
    w, h = SIZES[int(rng.integers(len(SIZES)))]
    img = np.zeros((h, w, 3), np.uint8)
    img[:] = BACKGROUNDS[int(rng.integers(len(BACKGROUNDS)))]
    line = max(2, w // 120)
    cx, cy = int(w * rng.uniform(0.46, 0.54)), int(h * rng.uniform(0.4, 0.48))
    fw = int(w * rng.uniform(0.24, 0.34))
    fh = int(fw * rng.uniform(1.0, 1.25))
    skin = tuple(int(v) for v in np.clip(np.array(SKIN_DRAWN[int(rng.integers(len(SKIN_DRAWN)))]) + rng.uniform(-8, 8, 3), 0, 255))
    line_drawing = rng.random() < 0.1
    if line_drawing:
        skin = (255, 255, 255)
    dark = (40, 30, 30)
    clothes = CLOTHES_DRAWN[int(rng.integers(len(CLOTHES_DRAWN)))]
    cv2.ellipse(img, (cx, h + fh // 4), (int(fw * 1.8), int(fh * 1.1)), 0, 180, 360, clothes, -1, cv2.LINE_AA)
    if rng.random() < 0.6:
        for side in (-1, 1):
            cv2.ellipse(img, (cx + side * fw, cy + fh // 10), (fw // 6, fh // 5), 0, 0, 360, skin, -1, cv2.LINE_AA)
    cv2.ellipse(img, (cx, cy), (fw, fh), 0, 0, 360, skin, -1, cv2.LINE_AA)
    if rng.random() < 0.4 or line_drawing:
        cv2.ellipse(img, (cx, cy), (fw, fh), 0, 0, 360, dark, line, cv2.LINE_AA)
    hair = rng.random()
    if hair < 0.4:  # a cap of hair over the forehead
        cv2.ellipse(img, (cx, cy - int(fh * 0.55)), (int(fw * 1.02), int(fh * 0.5)), 0, 180, 360,
                    (70, 50, 40) if rng.random() < 0.7 else (30, 25, 25), -1, cv2.LINE_AA)
    elif hair < 0.6:  # a baby's tuft
        cv2.ellipse(img, (cx, cy - fh), (fw // 5, fh // 6), -30, 0, 300, dark, line, cv2.LINE_AA)
    elif hair < 0.7:  # a knitted hat down to the brows
        cv2.ellipse(img, (cx, cy - int(fh * 0.45)), (int(fw * 1.08), int(fh * 0.6)), 0, 180, 360,
                    HATS[int(rng.integers(len(HATS)))], -1, cv2.LINE_AA)
    ey = cy - int(fh * rng.uniform(0.02, 0.15))
    ex = int(fw * rng.uniform(0.32, 0.45))
    er = max(3, int(fw * rng.uniform(0.07, 0.14)))
    whites, brows, cheeks = rng.random() < 0.5, rng.random() < 0.6, rng.random() < 0.5
    asleep = rng.random() < 0.15
    brow_y = ey - int(er * rng.uniform(2.0, 3.0))
    for side in (-1, 1):
        x = cx + side * ex
        if asleep:  # shut: the lash line, curved down
            cv2.ellipse(img, (x, ey), (int(er * 1.5), er), 0, 10, 170, dark, max(2, line), cv2.LINE_AA)
        else:
            if whites:
                cv2.ellipse(img, (x, ey), (int(er * 1.7), int(er * 1.1)), 0, 0, 360, (250, 250, 250), -1,
                            cv2.LINE_AA)
            cv2.circle(img, (x, ey), er, dark, -1, cv2.LINE_AA)
            cv2.circle(img, (x + er // 3, ey - er // 3), max(1, er // 4), (255, 255, 255), -1, cv2.LINE_AA)
        if brows:
            cv2.line(img, (x - int(er * 1.8), brow_y), (x + int(er * 1.8), brow_y), (90, 60, 50), max(2, er // 2),
                     cv2.LINE_AA)
        if cheeks:
            cv2.ellipse(img, (cx + side * int(fw * 0.55), cy + int(fh * 0.25)), (fw // 7, fh // 12), 0, 0, 360,
                        (240, 160, 150), -1, cv2.LINE_AA)
    cv2.ellipse(img, (cx, cy + int(fh * 0.15)), (max(2, fw // 14), max(3, fh // 12)), 0, 0, 360,
                tuple(int(v * 0.85) for v in skin), -1, cv2.LINE_AA)
    my = cy + int(fh * rng.uniform(0.4, 0.5))
    if rng.random() < 0.6:
        cv2.ellipse(img, (cx, my - fh // 12), (int(fw * rng.uniform(0.2, 0.35)), fh // 8), 0, 20, 160,
                    (190, 70, 70), max(2, line), cv2.LINE_AA)
    else:
        cv2.ellipse(img, (cx, my), (int(fw * rng.uniform(0.12, 0.2)), fh // 16), 0, 0, 360, (190, 70, 70), -1,
                    cv2.LINE_AA)
    if rng.random() < 0.15:  # printed or copied in black and white
        img = cv2.cvtColor(cv2.cvtColor(img, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
    sigma = rng.uniform(0, 2.5)
    return cv2.GaussianBlur(img, (0, 0), sigma) if sigma > 0.5 else img


def no_face(rng) -> np.ndarray:
    """A landscape or a still life: a picture someone uploaded instead of the baby's photo.

    Drawn again (from the same stream, so still deterministic) in the rare case
    the face cascade sees a face in it.
    """
    for _ in range(10):
        img = _scene(rng)
        if detect_faces(img) == 0:
            break
    return img


def _scene(rng) -> np.ndarray:
    img = np.zeros((H, W, 3), np.float32)

    def p(x, y):  # positions laid out on a unit square
        return int(x * W), int(y * H)

    if rng.random() < 0.5:
        top, bottom = np.array([110, 160, 230], np.float32), np.array([220, 235, 250], np.float32)
        t = np.linspace(0, 1, H, dtype=np.float32)[:, None, None]
        img[:] = top * (1 - t) + bottom * t
        cv2.circle(img, p(rng.uniform(0.15, 0.85), rng.uniform(0.1, 0.3)), int(W * rng.uniform(0.05, 0.1)),
                   (250, 220, 120), -1, cv2.LINE_AA)
        for k in range(3):  # mountain ranges, each lower and darker
            xs = np.linspace(0, 1, 9)
            ys = 0.45 + 0.12 * k - rng.uniform(0.05, 0.22, 9)
            pts = np.array([p(0, 1)] + [p(x, y) for x, y in zip(xs, ys, strict=True)] + [p(1, 1)], np.int32)
            cv2.fillPoly(img, [pts], (60 + 10 * k, 150 - 40 * k, 70 + 10 * k), cv2.LINE_AA)
    else:
        img[:] = np.array([235, 228, 215], np.float32) + rng.uniform(-15, 10, 3)
        cv2.rectangle(img, p(0, 0.65), p(1, 1), (150, 110, 80), -1)
        # a cup and a ball on a table
        x = rng.uniform(0.2, 0.4)
        cup = tuple(float(v) for v in rng.uniform(40, 200, 3))
        cv2.rectangle(img, p(x - 0.12, 0.42), p(x + 0.12, 0.7), cup, -1, cv2.LINE_AA)
        cv2.ellipse(img, p(x, 0.42), (int(0.12 * W), int(0.025 * H)), 0, 0, 360, tuple(c * 0.7 for c in cup), -1)
        cv2.ellipse(img, p(x + 0.12, 0.54), (int(0.06 * W), int(0.06 * H)), 0, -90, 90, cup, int(0.02 * W))
        cv2.circle(img, p(rng.uniform(0.65, 0.8), 0.62), int(W * rng.uniform(0.08, 0.13)), (220, 70, 60), -1,
                   cv2.LINE_AA)
    img += rng.normal(0, 3, img.shape).astype(np.float32)
    out = cv2.GaussianBlur(np.clip(img, 0, 255).astype(np.uint8), (0, 0), 0.8)
    w, h = SIZES[int(rng.integers(len(SIZES)))]
    return cv2.resize(out, (w, h), interpolation=cv2.INTER_LINEAR)


_CASCADE = None


def detect_faces(rgb: np.ndarray) -> int:
    """Faces the stock OpenCV frontal-face cascade finds (what a simple pipeline would run)."""
    global _CASCADE
    if _CASCADE is None:
        _CASCADE = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    return len(_CASCADE.detectMultiScale(grey, scaleFactor=1.1, minNeighbors=5, minSize=(60, 60)))

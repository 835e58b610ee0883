"""Stage 2: turn a phone photo or a scan into an upright, flat, evenly lit grey page.

Each step exists because a capture of the kind staff receive defeats OCR
without it: a document photographed on a desk in perspective, turned on its
side, in uneven light. Quality warnings (blur, glare, cut off, too small) are
recorded, never raised.
"""

from __future__ import annotations

from typing import NamedTuple

import cv2
import numpy as np

from intake.models import Page, Prepared

# Long side the rectified page is scaled to: CJK body text then lands at the
# 30-50 px character height Tesseract reads best.
TARGET_LONG_SIDE = 1800
MIN_LONG_SIDE = 600
# The least share of the frame an outline must enclose to be taken for the document; and, where no outline
# that large is found, for a document photographed from further off (a card a third of the frame across).
LEAST_DOCUMENT = 0.15
LEAST_FAR_DOCUMENT = 0.03


def prepare_page(page: Page) -> Prepared:
    """Find the document, flatten it, and even out light. Orientation is decided later with OCR."""
    assert page.image is not None
    image = _limit_size(page.image, 4000)
    warnings = quality_warnings(image)
    quad = find_document(image)
    if quad is not None:
        if _at_edge(quad, image.shape):
            warnings.append("文件可能被裁切 / document may be cut off at the image edge")
        image = warp(image, quad)
    else:
        image = _trim_white_margin(image)
    image = _scale_long_side(image, TARGET_LONG_SIDE)
    grey = cleaned_grey(image)
    angle = skew_angle(grey)
    if abs(angle) > 0.3:
        grey = rotate_small(grey, angle)
        image = rotate_small(image, angle)
    return Prepared(page=page, image=grey, colour=image, warnings=warnings)


def _limit_size(image: np.ndarray, long_side: int) -> np.ndarray:
    h, w = image.shape[:2]
    if max(h, w) <= long_side:
        return image
    scale = long_side / max(h, w)
    return cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)


def _scale_long_side(image: np.ndarray, long_side: int) -> np.ndarray:
    h, w = image.shape[:2]
    scale = long_side / max(h, w)
    if 0.9 < scale < 1.1:
        return image
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    return cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=interpolation)


class Outline(NamedTuple):
    """A four-cornered outline found, with what ranks it (in this order)."""
    outlined: bool
    paper_on_a_desk: bool
    one_way: bool
    area: float
    quad: np.ndarray


def find_document(image: np.ndarray) -> np.ndarray | None:
    """The four corners of the document when it stands out from a desk; None for a flat scan."""
    h, w = image.shape[:2]
    scale = 700 / max(h, w)
    small = cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    grey = cv2.GaussianBlur(to_grey(small), (5, 5), 0)
    area = grey.shape[0] * grey.shape[1]
    candidates = []
    # Paper is brighter and less saturated than most desks; edges catch the rest. Saturation tells a card
    # from a wooden desk where brightness cannot: under a lamp the desk's lit grain is as bright as the
    # card's shaded half.
    _, bright = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    edges = cv2.dilate(cv2.Canny(grey, 30, 90), np.ones((5, 5), np.uint8))
    masks = [bright, edges]
    if small.ndim == 3:
        saturation = cv2.cvtColor(cv2.GaussianBlur(small, (5, 5), 0), cv2.COLOR_BGR2HSV)[:, :, 1]
        masks.append(cv2.threshold(saturation, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)[1])
    paper_fills_frame = False
    for mask in masks:
        closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
        contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for rank, contour in enumerate(sorted(contours, key=cv2.contourArea, reverse=True)[:3]):
            hull = cv2.convexHull(contour)
            if mask is bright and rank == 0:
                paper_fills_frame = cv2.contourArea(hull) >= 0.97 * area
            for quad, simplified in _four_corners(hull):
                quad_area = cv2.contourArea(quad)
                if LEAST_FAR_DOCUMENT * area < quad_area < 0.97 * area and _square_enough(quad) and not _one_line_across(quad, grey.shape):
                    steps = _side_steps(grey, order_corners(quad))
                    outlined = _outlined(steps)
                    weak = any(step < EDGE_STEP for step, _ in steps)
                    strong = any(step >= EDGE_STEP for step, _ in steps)
                    # Simplified further, an outline with a patch of desk in it comes out four-cornered too;
                    # and one whose only sides inside the frame are where the light falls off across the
                    # desk (the frame's brighter part, a card and all) is no document.
                    if outlined or not (simplified or (weak and not strong)):
                        candidates.append(Outline(outlined, _paper_on_a_desk(steps), _one_way(steps), quad_area, quad))
    near = [c for c in candidates if c.area > LEAST_DOCUMENT * area]
    # A small outline is a document far off only with the paper brighter than the desk across all four of
    # its sides: on a page that fills the frame it is a table, a photo or a seal; one with a side inside the
    # paper is where the light falls off across it.
    far = [c for c in candidates if c.paper_on_a_desk and not paper_fills_frame]
    if not near and not far:
        return None
    # An outline whose sides are the paper's edges beats a larger one that is not: light falling off
    # across a desk splits the frame in two at some grey level, and the brighter part, paper and all,
    # is no document. Of those, one brighter than the desk across all four sides beats a larger one with
    # a side inside the paper (a card's shaded half left out, a lit stripe of desk taken in). Then one with
    # no side lighter inside while another is darker inside beats a larger one that has: that outline took
    # in desk across one side and cut the paper across another (a card on a pink wooden desk).
    best = max(near or far, key=lambda c: (c.outlined, c.paper_on_a_desk, c.one_way, c.area)).quad
    if paper_fills_frame and _ink_around(best, bright):
        return None
    return order_corners(best / scale)


def _one_line_across(quad: np.ndarray, shape: tuple[int, ...]) -> bool:
    """Whether the outline's only side inside the frame runs from the frame's border to its border: a
    straight line across the whole picture is a shadow's edge as often as the paper's (a phone held over
    a page under a ceiling lamp), and cropping to it cut off everything in the shade, a card's name and
    number with it. Left uncropped, a page that does run on past the frame loses nothing."""
    height, width = shape[:2]
    margin = 0.02 * max(height, width)
    borders = [lambda p: p[0] < margin, lambda p: p[0] > width - margin,
               lambda p: p[1] < margin, lambda p: p[1] > height - margin]
    corners = order_corners(quad)
    sides = [(corners[i], corners[(i + 1) % 4]) for i in range(4)]
    inside = [(a, b) for a, b in sides if not any(on(a) and on(b) for on in borders)]
    return len(inside) == 1 and all(any(on(p) for on in borders) for p in inside[0])


def _four_corners(hull: np.ndarray) -> list[tuple[np.ndarray, bool]]:
    """The outline as four corners, each with whether it took more than the first simplification:
    the hull simplified, else its least rectangle if that fits it closely; and where the first
    simplification leaves five or more corners (a corner in perspective or rounded, a patch of desk),
    the hull simplified further until four are left."""
    length = cv2.arcLength(hull, True)
    quad = cv2.approxPolyDP(hull, 0.02 * length, True)
    if len(quad) == 4:
        return [(quad.reshape(4, 2).astype(np.float32), False)]
    found = []
    rect = cv2.minAreaRect(hull)
    if cv2.contourArea(hull) >= 0.9 * rect[1][0] * rect[1][1]:
        found.append((cv2.boxPoints(rect).astype(np.float32), False))
    for share in (0.03, 0.04, 0.05) if len(quad) > 4 else ():
        quad = cv2.approxPolyDP(hull, share * length, True)
        if len(quad) <= 4:
            if len(quad) == 4:
                found.append((quad.reshape(4, 2).astype(np.float32), True))
            break
    return found


# Grey levels between just inside and just outside a side (700-px frame) for it to count as an edge of
# the paper: measured on the hard set, the paper's sides step 20 to 100; a line across a desk where the
# light falls off, 4 to 12.
EDGE_STEP = 15


def _side_steps(grey: np.ndarray, quad: np.ndarray) -> list[tuple[float, float]]:
    """For each of the outline's sides inside the frame (a side on the frame's border cannot be told),
    how much the grey steps across it, and how much brighter it is inside than outside (both medians)."""
    height, width = grey.shape
    centre = quad.mean(axis=0)
    steps = []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        along = (b - a) / max(float(np.linalg.norm(b - a)), 1e-6)
        inward = np.array([-along[1], along[0]])
        if np.dot(centre - (a + b) / 2, inward) < 0:
            inward = -inward
        points = a + np.outer(np.linspace(0.1, 0.9, 40), b - a)
        inside, outside = points + 5 * inward, points - 5 * inward
        seen = ((outside >= 3) & (outside < [width - 3, height - 3])).all(axis=1)
        if seen.sum() < len(points) / 2:
            continue
        at = lambda p: grey[p[seen, 1].astype(int).clip(0, height - 1), p[seen, 0].astype(int).clip(0, width - 1)]
        difference = at(inside).astype(np.float32) - at(outside)
        steps.append((float(np.median(np.abs(difference))), float(np.median(difference))))
    return steps


def _outlined(steps: list[tuple[float, float]]) -> bool:
    """An outline along the paper's edges: at most one side that steps less than EDGE_STEP in grey
    across it, and at least two that step that much."""
    strong = sum(step >= EDGE_STEP for step, _ in steps)
    return len(steps) - strong <= 1 and strong >= 2


def _paper_on_a_desk(steps: list[tuple[float, float]]) -> bool:
    """All four sides inside the frame, and the paper brighter than the desk across each."""
    return len(steps) == 4 and all(brighter >= EDGE_STEP for _, brighter in steps)


def _one_way(steps: list[tuple[float, float]]) -> bool:
    """No side of the outline lighter inside while another is darker inside. Paper is lighter than the desk
    it lies on all round, or darker all round (a coloured card on a white desk), never both: an outline
    that is both took in desk across one side and cut the paper across another."""
    signs = {brighter > 0 for _, brighter in steps if abs(brighter) >= EDGE_STEP}
    return len(signs) <= 1


# A page or card shot at a slant still has corners within this of a right angle; an outline with a
# sharper one is something else (a portrait's edge joined to a row of print).
MOST_SLANT = 45
# Nor has it a side shorter than this share of its opposite side: the outlines found on bench/variants.py's
# leaning set (a phone held low, the far edge drawn at 60-75% of the near) are 0.55 and more, on the hard sets
# 0.6 and more. An outline cut diagonally across a card whose edge faded into a lamp's glare had a side a
# sixth of its opposite's, and warped to it the card's name and number were stretched past reading.
LEAST_SIDE_SHARE = 0.4


def _square_enough(quad: np.ndarray) -> bool:
    corners = order_corners(quad)
    sides = [float(np.linalg.norm(corners[(i + 1) % 4] - corners[i])) for i in range(4)]
    if any(min(sides[i], sides[i + 2]) < LEAST_SIDE_SHARE * max(sides[i], sides[i + 2]) for i in (0, 1)):
        return False
    for i in range(4):
        a, b = corners[i - 1] - corners[i], corners[(i + 1) % 4] - corners[i]
        cosine = float(np.dot(a, b) / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-6))
        if abs(cosine) > np.cos(np.radians(90 - MOST_SLANT)):
            return False
    return True


def _ink_around(quad: np.ndarray, bright: np.ndarray) -> bool:
    """Whether there is print outside the outline found: on a page that fills the frame (a flat
    scan), the outline is then a table printed on it, not the page.

    On a scan the paper is all the frame shows, and the strongest outline is the household page's
    ruled table: taken for the document it would cut off the title and the lines under the table,
    which then bend its bottom edge. A document on a desk or a card on a scanner's lid has nothing
    printed around it.
    """
    outside = np.full(bright.shape, 255, np.uint8)
    cv2.fillConvexPoly(outside, quad.astype(np.int32), 0)
    outside = cv2.erode(outside, np.ones((15, 15), np.uint8))
    return ((bright == 0) & (outside > 0)).sum() > 0.004 * max((outside > 0).sum(), 1)


def order_corners(points: np.ndarray) -> np.ndarray:
    """top-left, top-right, bottom-right, bottom-left: clockwise round the centre from the corner nearest
    the top left. (Taking each corner by its own extreme of x + y and x - y gave one point twice for an
    outline turned near 45 degrees, and the page warped to a thin blank strip.)"""
    centre = points.mean(axis=0)
    around = points[np.argsort(np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0]))]
    return np.roll(around, -int(np.argmin(around.sum(axis=1))), axis=0).astype(np.float32)


def warp(image: np.ndarray, quad: np.ndarray) -> np.ndarray:
    tl, tr, br, bl = quad
    width = int(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = int(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad, target)
    return cv2.warpPerspective(image, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


# A dot of ink this many pixels at most is a speck of dust or a copier's toner, not print; print within
# this share of the page's long side is one patch of it, and a patch this share of the page's area at
# least is worth keeping.
SPECK = 3
INK_REACH = 0.01
LEAST_PATCH = 0.0005


def _trim_white_margin(image: np.ndarray) -> np.ndarray:
    """The page cut to what is printed on it, a margin kept: a card scanned on a sheet of A4 (the photocopy's
    specks left out) is then read at a size the detector finds its small print at."""
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    reach = max(3, round(INK_REACH * max(grey.shape)))
    _, dots, sizes, _ = cv2.connectedComponentsWithStats((grey < 200).astype(np.uint8))
    ink = (sizes[:, cv2.CC_STAT_AREA] > SPECK)[dots] & (dots > 0)
    patches = cv2.dilate(ink.astype(np.uint8), np.ones((reach, reach), np.uint8))
    _, _, stats, _ = cv2.connectedComponentsWithStats(patches)
    printed = stats[1:][stats[1:, cv2.CC_STAT_AREA] >= LEAST_PATCH * grey.size]
    if not len(printed):
        return image
    pad = 2 * reach
    top, bottom = max(printed[:, 1].min() - pad, 0), min((printed[:, 1] + printed[:, 3]).max() + pad, grey.shape[0])
    left, right = max(printed[:, 0].min() - pad, 0), min((printed[:, 0] + printed[:, 2]).max() + pad, grey.shape[1])
    if (bottom - top) * (right - left) < 0.02 * grey.size:
        return image
    return image[top:bottom, left:right]


def cleaned_grey(image: np.ndarray) -> np.ndarray:
    """The grey page OCR reads: seals dropped, light evened, ruled lines erased."""
    return remove_rules(even_light(to_grey(image)))


def to_grey(image: np.ndarray) -> np.ndarray:
    """Grey, with faint red seal impressions dropped: a seal over a name or number defeats OCR."""
    if image.ndim == 2:
        return image
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    hue, saturation, value = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    # Seal ink is a light, washed-out red; printed red text is deep and stays.
    seal = ((hue < 12) | (hue > 165)) & (saturation > 40) & (saturation < 170) & (value > 150)
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    grey[seal] = np.maximum(grey[seal], image[..., 2][seal])
    return grey


def remove_rules(grey: np.ndarray) -> np.ndarray:
    """Erase long ruled lines (table grids, underlines): Tesseract reads them as text or skips the cells."""
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    h, w = grey.shape
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(60, w // 6), 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(60, h // 6))))
    rules = cv2.dilate(horizontal | vertical, np.ones((3, 3), np.uint8))
    cleaned = grey.copy()
    cleaned[rules > 0] = 255
    return cleaned


def even_light(grey: np.ndarray) -> np.ndarray:
    """Divide by the page's own background so shadows and gradients vanish and ink stays dark."""
    size = max(31, (min(grey.shape) // 20) | 1)
    background = cv2.morphologyEx(grey, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (size, size)))
    background = cv2.GaussianBlur(background, (size, size), 0)
    flat = cv2.divide(grey, np.maximum(background, 1), scale=255)
    return cv2.normalize(flat, None, 0, 255, cv2.NORM_MINMAX)


def skew_angle(grey: np.ndarray) -> float:
    """Small skew (within ±6°) from the angle that makes text rows sharpest."""
    small = cv2.resize(grey, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    ink = (small < 128).astype(np.float32)
    if ink.sum() < 50:
        return 0.0
    h, w = ink.shape
    centre = (w / 2, h / 2)
    best, best_score = 0.0, -1.0
    for angle in np.arange(-6, 6.01, 0.5):
        rotated = cv2.warpAffine(ink, cv2.getRotationMatrix2D(centre, angle, 1), (w, h))
        score = float(np.var(rotated.sum(axis=1)))
        if score > best_score:
            best, best_score = float(angle), score
    return best


def rotate_small(image: np.ndarray, angle: float, whole: bool = False) -> np.ndarray:
    """Turned `angle` degrees counter-clockwise about the centre; `whole` widens the frame so the
    corners a larger turn would cut off stay in (on the page's own edge colour)."""
    matrix, size = small_turn(image.shape, angle, whole)
    return cv2.warpAffine(image, matrix, size, flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def small_turn(shape: tuple[int, ...], angle: float, whole: bool = False) -> tuple[np.ndarray, tuple[int, int]]:
    """rotate_small's affine matrix and frame size (width, height), to move points with the image."""
    h, w = shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1)
    size = (w, h)
    if whole:
        cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
        size = (int(h * sin + w * cos), int(h * cos + w * sin))
        matrix[:, 2] += (size[0] - w) / 2, (size[1] - h) / 2
    return matrix, size


def rotate_quarter(image: np.ndarray, quarter_turns_ccw: int) -> np.ndarray:
    return np.ascontiguousarray(np.rot90(image, quarter_turns_ccw % 4))


def quality_warnings(image: np.ndarray) -> list[str]:
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    warnings = []
    h, w = grey.shape
    if max(h, w) < MIN_LONG_SIDE:
        warnings.append(f"图像太小 / image too small to read ({w}x{h})")
    small = cv2.resize(grey, None, fx=1000 / max(h, w), fy=1000 / max(h, w), interpolation=cv2.INTER_AREA)
    if cv2.Laplacian(small, cv2.CV_64F).var() < 40:
        warnings.append("图像模糊 / image is blurred")
    if (small >= 250).mean() > 0.02 and _has_glare_spot(small):
        warnings.append("有反光 / glare on the document")
    return warnings


def _at_edge(quad: np.ndarray, shape: tuple[int, ...]) -> bool:
    """Two or more corners on the frame's edge: the page most likely runs on outside the photo."""
    h, w = shape[:2]
    margin = 0.01 * max(h, w)
    near = [(x < margin or y < margin or x > w - margin or y > h - margin) for x, y in quad]
    return sum(near) >= 2


def _has_glare_spot(small: np.ndarray) -> bool:
    """A washed-out spot in the picture. White that runs off the frame's edge across more than half of it is
    the page itself (a flatbed scan's paper and lid) or a white desk: counted as glare, it warned of glare on
    44 of the 91 scans of hard 60 and normal 40, which no scanner's light makes. A spot at the edge of a
    close-up (a lamp in a card's corner) is still one."""
    saturated = (small >= 250).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(saturated)
    height, width = small.shape

    def page_running_on(x: int, y: int, w: int, h: int) -> bool:
        return (min(x, y) == 0 or x + w == width or y + h == height) and (w > width / 2 or h > height / 2)

    return any(area > 0.01 * small.size and not page_running_on(x, y, w, h) for x, y, w, h, area in stats[1:count])


_osd_api = None


def detect_orientation(grey: np.ndarray) -> tuple[int, float]:
    """Quarter turns (counter-clockwise) that make the page upright, and Tesseract's OSD confidence."""
    global _osd_api
    import tesserocr
    from PIL import Image

    from intake.ocr import quiet_leptonica, tessdata_dir

    if _osd_api is None:
        quiet_leptonica()
        _osd_api = tesserocr.PyTessBaseAPI(path=tessdata_dir(), lang="osd", psm=tesserocr.PSM.OSD_ONLY)
    h, w = grey.shape[:2]
    scale = min(1.0, 1000 / max(h, w))
    small = cv2.resize(grey, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else grey
    _osd_api.SetImage(Image.fromarray(small))
    try:
        result = _osd_api.DetectOrientationScript()
    except RuntimeError:
        return 0, 0.0
    if not result:
        return 0, 0.0
    return (result["orient_deg"] // 90) % 4, float(result["orient_conf"])

"""Undo a phone's motion blur on a prepared page, for another reading of a page that read badly.

A hand moving while the shutter is open smears every point of the page along
one short line; no sharpening brings the strokes back, but dividing the smear
out of the page's spectrum (Wiener deconvolution) does when the line's
direction is right to within a few degrees (a generated certificate blurred
7 px: 0 of 8 fields read, 8 of 8 after). The line leaves a dip in the page's
cepstrum at its length along its direction; the deepest few dips are the
candidates, and the recogniser's confidence on the text runs it read least
surely, each undone with each candidate, decides which of them (if any) was
the blur.
"""

from __future__ import annotations

import math
from typing import Callable

import cv2
import numpy as np

from intake.models import Word

# Tiles the spectrum is averaged over (256 met the generated sensor noise's own 256-px repeat).
TILE = 200
ANGLES = np.arange(0, 180, 1.0)
# Blur shorter than this is read through without help; longer than the top is not a shake.
LENGTHS = np.arange(5.5, 16, 0.25)
# The deepest dips at least APART degrees from each other are tried: the deepest alone is the blur's
# direction (to 5 degrees) on half the hard set's blurred photos, one of five on four in five.
CANDIDATES = 5
APART = 8
# Noise-to-signal ratio of the Wiener filter: lower sharpens more and rings more.
NOISE = 0.03


def motion_candidates(grey: np.ndarray) -> list[tuple[float, float]]:
    """(angle in degrees, length in pixels) of the likeliest straight-line blurs, likeliest first."""
    cepstrum = _cepstrum(grey)
    if cepstrum is None:
        return []
    centre = TILE // 2
    angle, length = np.meshgrid(np.radians(ANGLES), LENGTHS, indexing="ij")
    map_x = (centre + length * np.cos(angle)).astype(np.float32)
    map_y = (centre + length * np.sin(angle)).astype(np.float32)
    depth = cv2.remap(cepstrum, map_x, map_y, cv2.INTER_LINEAR)
    deepest = depth.min(axis=1)
    found: list[tuple[float, float]] = []
    for i in np.argsort(deepest):
        if all(abs((ANGLES[i] - a + 90) % 180 - 90) > APART for a, _ in found):
            found.append((float(ANGLES[i]), float(LENGTHS[np.argmin(depth[i])])))
        if len(found) == CANDIDATES:
            break
    return found


def _cepstrum(grey: np.ndarray) -> np.ndarray | None:
    """The page's power cepstrum, averaged over overlapping tiles that hold something."""
    image = grey.astype(np.float32)
    window = np.outer(np.hanning(TILE), np.hanning(TILE)).astype(np.float32)
    power = np.zeros((TILE, TILE))
    tiles = 0
    for y in range(0, image.shape[0] - TILE + 1, TILE // 2):
        for x in range(0, image.shape[1] - TILE + 1, TILE // 2):
            tile = image[y:y + TILE, x:x + TILE]
            if tile.std() < 8:
                continue
            power += np.abs(np.fft.fft2((tile - tile.mean()) * window)) ** 2
            tiles += 1
    if tiles == 0:
        return None
    return np.fft.fftshift(np.fft.ifft2(np.log(power / tiles + 1e-3)).real).astype(np.float32)


def line_kernel(angle: float, length: float) -> np.ndarray:
    """A straight smear of that length and direction, anti-aliased, summing to one."""
    size = int(math.ceil(length)) | 1
    size += 2
    kernel = np.zeros((size, size), np.float32)
    centre = size // 2
    for step in np.linspace(-(length - 1) / 2, (length - 1) / 2, int(length * 4)):
        x = centre + step * math.cos(math.radians(angle))
        y = centre + step * math.sin(math.radians(angle))
        x0, y0 = int(math.floor(x)), int(math.floor(y))
        fx, fy = x - x0, y - y0
        kernel[y0, x0] += (1 - fx) * (1 - fy)
        kernel[y0, x0 + 1] += fx * (1 - fy)
        kernel[y0 + 1, x0] += (1 - fx) * fy
        kernel[y0 + 1, x0 + 1] += fx * fy
    return kernel / kernel.sum()


def deconvolve(grey: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Wiener deconvolution of a grey page; edges padded so the page does not wrap onto itself."""
    pad = kernel.shape[0] * 2
    padded = cv2.copyMakeBorder(grey, pad, pad, pad, pad, cv2.BORDER_REFLECT).astype(np.float32)
    h, w = padded.shape
    psf = np.zeros((h, w), np.float32)
    kh, kw = kernel.shape
    psf[:kh, :kw] = kernel
    psf = np.roll(psf, (-(kh // 2), -(kw // 2)), axis=(0, 1))
    spectrum = np.fft.rfft2(psf)
    restored = np.fft.irfft2(np.fft.rfft2(padded) * np.conj(spectrum) / (np.abs(spectrum) ** 2 + NOISE), s=(h, w))
    return np.clip(restored[pad:-pad, pad:-pad], 0, 255).astype(np.uint8)


# Text runs read to choose the blur: the few read least surely, each a run of several characters:
# the values the blur defeated (the printed labels, larger and bolder, read through it). The longest
# runs, labels mostly, told the blur on fewer pages (hard set: 19 certificates deblurred against 14).
SAMPLE_RUNS = 4
# How much surer the recogniser must be of the runs undone than of them as captured.
CLEARER_BY = 0.05
# Runs read this surely as captured are not blurred past reading: nothing is tried.
READ_SURELY = 0.95


def blur_line(grey: np.ndarray, words: list[Word],
              read_line: Callable[[np.ndarray], tuple[str, float]]) -> np.ndarray | None:
    """The blur line (as a kernel) undoing which makes the text runs read least surely read surest, or
    None when none reads clearer than the runs as captured (no motion blur, or not one found)."""
    runs = [w.box for w in sorted((w for w in words if (w.box[2] - w.box[0]) >= 3 * (w.box[3] - w.box[1]) > 0),
                                  key=lambda w: w.confidence)[:SAMPLE_RUNS]]
    if not runs:
        return None
    margin = 24
    height, width = grey.shape[:2]
    crops = [(grey[max(t - margin, 0):min(b + margin, height), max(l - margin, 0):min(r + margin, width)],
              (min(margin, t), min(margin, l), b - t, r - l)) for l, t, r, b in runs]

    def sureness(kernel: np.ndarray | None) -> float:
        total = 0.0
        for crop, (top, left, h, w) in crops:
            sharp = crop if kernel is None else deconvolve(crop, kernel)
            total += read_line(sharp[max(top - 4, 0):top + h + 4, max(left - 4, 0):left + w + 4])[1]
        return total / len(crops)

    as_captured = sureness(None)
    if as_captured >= READ_SURELY:
        return None
    best, best_sureness = None, as_captured + CLEARER_BY
    for angle, length in motion_candidates(grey):
        kernel = line_kernel(angle, length)
        candidate = sureness(kernel)
        if candidate > best_sureness:
            best, best_sureness = kernel, candidate
    return best


def deconvolve_colour(image: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return deconvolve(image, kernel)
    return np.dstack([deconvolve(np.ascontiguousarray(image[..., c]), kernel) for c in range(image.shape[2])])

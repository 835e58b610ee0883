"""Cards: resident ID card front and back (居民身份证) and the social security card (社会保障卡).

All three are ISO ID-1 cards (85.6 x 54 mm) with rounded corners; they are
returned as RGBA so the capture step can lay the corners over the desk. The
emblems and portraits are stylised drawings, never real artwork or faces.
"""

from __future__ import annotations

from datetime import date

from PIL import Image, ImageDraw

from . import fonts
from .draw import Canvas, chip, emblem, fit, ink, silhouette, wrap

CARD_W, CARD_H = 85.6, 54.0
LABEL_BLUE = [(0, 112, 192), (30, 100, 170), (20, 120, 180), (60, 110, 160)]
BANKS = [("中国工商银行", (200, 30, 40)), ("中国建设银行", (20, 70, 150)), ("中国农业银行", (0, 130, 100)),
         ("中国银行", (180, 20, 40)), ("交通银行", (20, 60, 130)), ("中国邮政储蓄银行", (0, 120, 70))]


def _card(rng, tint, strength=0.35) -> Canvas:
    scale = float(rng.uniform(13, 16))
    return Canvas(CARD_W, CARD_H, scale, tint, rng, strength)


def _rounded(c: Canvas) -> Image.Image:
    """The card with transparent corners (radius 3.2 mm as on ID-1 cards)."""
    mask = Image.new("L", c.img.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle([0, 0, c.img.width - 1, c.img.height - 1], c.px(3.2), fill=255)
    out = c.img.convert("RGBA")
    out.putalpha(mask)
    return out


def id_front(rng, f: dict, extra: dict) -> tuple:
    """Front of the ID card; returns (RGBA image, px per mm, value font label, size in mm)."""
    tint = [(214, 232, 244), (226, 236, 246), (232, 236, 226), (240, 232, 228)][int(rng.integers(4))]
    c = _card(rng, tint)
    lab = fonts.pick(rng, style="sans")
    val = fonts.pick(rng, style=None)
    blue = LABEL_BLUE[int(rng.integers(len(LABEL_BLUE)))]
    black = ink(rng, (15, 15, 20), 15)
    dx, dy = float(rng.uniform(-1, 1)), float(rng.uniform(-1, 1))
    ls, vs = float(rng.uniform(2.5, 2.9)), float(rng.uniform(3.1, 3.5))
    lx, vx = 5.5 + dx, 14.5 + dx
    c.text(lx, 10 + dy, "姓  名", lab, ls, blue)
    # A long name (a transliterated one, 9 characters and more) is set closer, then smaller, clear of the photo.
    spacing, room = float(rng.uniform(0, 0.8)), 54 - vx
    if c.width(f["name"], val, vs + 0.4) + spacing * (len(f["name"]) - 1) > room:
        spacing = 0.0
    c.text(vx, 10 + dy, f["name"], val, fit(c, f["name"], val, vs + 0.4, room, 2.4), black, spacing_mm=spacing)
    c.text(lx, 17.5 + dy, "性  别", lab, ls, blue)
    c.text(vx, 17.5 + dy, {"male": "男", "female": "女"}[f["sex"]], val, vs, black)
    c.text(lx + 21.5, 17.5 + dy, "民  族", lab, ls, blue)
    c.text(vx + 21.5, 17.5 + dy, f["ethnicity"], val, vs, black)
    c.text(lx, 25 + dy, "出  生", lab, ls, blue)
    b = date.fromisoformat(f["birth_date"])
    x = vx
    for num, unit in ((str(b.year), "年"), (str(b.month), "月"), (str(b.day), "日")):
        x = c.text(x, 25 + dy, num, val, vs, black) + 1.2
        x = c.text(x, 25 + dy, unit, val, vs, black) + 1.2
    c.text(lx, 32.5 + dy, "住  址", lab, ls, blue)
    per_line = int(rng.integers(10, 13))
    # The card has room for three lines: a longer address is printed smaller, more to a line (as
    # issuing offices do), never cut short of what the ground truth says.
    if len(f["address"]) > 3 * per_line:
        widened = -(-len(f["address"]) // 3)
        per_line, vs = widened, vs * per_line / widened
    for i, part in enumerate(wrap(f["address"], per_line)):
        c.text(vx, 32.5 + dy + i * 4.6, part, val, vs, black)
    c.text(lx, 48.5 + dy, "公民身份号码", lab, ls, blue)
    # The number runs from after its label to the card's right edge, in a wide digit font.
    num_x, size, gap = lx + 21 + float(rng.uniform(0, 1.5)), float(rng.uniform(3.4, 3.9)), float(rng.uniform(0.2, 0.6))
    mono = fonts.mono_face(rng)
    while size > 2.8 and num_x + c.width(f["id_number"], mono, size) + 17 * gap > 81:
        size -= 0.05
    c.text(num_x, 48.5 + dy, f["id_number"], mono, size, black, spacing_mm=gap)
    silhouette(c, 55 + dx, 6.5, 81 + dx, 40, rng)
    return _rounded(c), c.scale, val.label, (CARD_W, CARD_H)


def id_back(rng, f: dict, extra: dict) -> tuple:
    """Back of the ID card: emblem, titles, issuing authority and validity period."""
    tint = [(222, 236, 232), (236, 228, 220), (226, 232, 244)][int(rng.integers(3))]
    c = _card(rng, tint, 0.45)
    lab = fonts.pick(rng, style="sans")
    val = fonts.pick(rng)
    head = fonts.pick(rng, style="serif", bold=True)
    black = ink(rng, (15, 15, 20), 15)
    dx = float(rng.uniform(-1, 1))
    emblem(c, 14 + dx, 15, float(rng.uniform(8, 9.5)))
    c.text(29 + dx, 14, "中华人民共和国", head, float(rng.uniform(4.4, 5.0)), black,
           spacing_mm=float(rng.uniform(0.6, 1.4)))
    c.text(29 + dx, 28, "居民身份证", head, float(rng.uniform(7, 8)), black, spacing_mm=float(rng.uniform(1.5, 2.8)))
    ls, vs = float(rng.uniform(2.5, 2.9)), float(rng.uniform(3.0, 3.4))
    c.text(16 + dx, 43, "签发机关", lab, ls, black)
    s = vs
    while s > 2.4 and c.width(f["issuing_authority"], val, s) > 52:
        s -= 0.1
    c.text(29 + dx, 43, f["issuing_authority"], val, s, black)
    c.text(16 + dx, 49.5, "有效期限", lab, ls, black)
    start = date.fromisoformat(f["valid_from"])
    until = f["valid_until"]
    end = until if until == "长期" else date.fromisoformat(until).strftime("%Y.%m.%d")
    c.text(29 + dx, 49.5, f"{start:%Y.%m.%d}-{end}", val, vs, black)
    return _rounded(c), c.scale, val.label, (CARD_W, CARD_H)


def social_security(rng, f: dict, extra: dict) -> tuple:
    """社会保障卡 with bank logo, chip, portrait box and the three printed fields."""
    tint = [(210, 228, 246), (214, 238, 226), (236, 226, 240), (224, 236, 244)][int(rng.integers(4))]
    c = _card(rng, tint, 0.25)
    lab = fonts.pick(rng, style="sans")
    val = fonts.pick(rng)
    head = fonts.pick(rng, bold=True)
    black = ink(rng, (15, 15, 25), 15)
    emblem(c, 9, 9.5, 5.5)
    c.text(17, 8.5, "中华人民共和国", head, 3.0, (180, 30, 40), spacing_mm=0.4)
    c.text(17, 15.5, "社会保障卡", head, float(rng.uniform(4.8, 5.6)), (180, 30, 40),
           spacing_mm=float(rng.uniform(0.5, 1.5)))
    bank, colour = BANKS[int(rng.integers(len(BANKS)))]
    c.ellipse(52, 4.5, 59, 11.5, outline=colour, width_mm=0.9)
    c.rect(54.7, 6, 56.3, 10, fill=colour)
    c.text(60, 10, bank, fonts.pick(rng, style="sans", bold=True), 2.6, colour)
    chip(c, 8, 20)
    silhouette(c, 62, 19, 80, 42, rng)
    ls, vs = float(rng.uniform(2.5, 2.8)), float(rng.uniform(2.9, 3.3))
    label_no = "社会保障卡号" if rng.random() < 0.6 else "卡    号"
    y0 = float(rng.uniform(34, 36))
    mono = fonts.mono_face(rng)
    rows = [("姓    名", f["name"], val), ("社会保障号码", f["social_security_number"], mono),
            (label_no, f["card_number"], mono)]
    x_val = 8 + c.width("社会保障号码", lab, ls) + 2
    for i, (label, value, face) in enumerate(rows):
        y = y0 + i * 5.6
        c.text(8, y, label, lab, ls, black)
        # A long name (a transliterated one) is set smaller, clear of the photo.
        c.text(x_val, y, value, face, fit(c, value, face, vs, 61 - x_val, 2.2) if i == 0 else vs, black)
    d = extra["issued"]
    c.text(8, 52, f"发卡日期 {d.year}年{d.month}月", lab, 2.2, black)
    c.rect(69, 45, 81, 51.5, fill=(230, 240, 245), outline=(20, 80, 140), radius_mm=0.8, width_mm=0.2)
    c.text(70.2, 49.6, "银联", lab, 2.5, (200, 30, 40))
    c.text(75, 49.4, "Union", lab, 1.4, (20, 80, 140))
    return _rounded(c), c.scale, val.label, (CARD_W, CARD_H)

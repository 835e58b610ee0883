"""Paper documents: the birth certificate (出生医学证明) and the household member page (常住人口登记卡).

Layouts follow the real forms closely enough that the pipeline's field finders
are tested against what applicants actually upload: bilingual labels on the
certificate, a ruled grid on the household page, seals in red ink. Values are
printed in a different face from the labels and slightly off the lines, as a
hospital or police-station printer does.
"""

from __future__ import annotations

from datetime import date

from . import fonts
from .draw import Canvas, fit, ink, stamp

SEX_ZH = {"male": "男", "female": "女"}


def _border(c: Canvas, rng, colour):
    """Double rule plus a chain of small lozenges, like the certificate's printed frame."""
    m = float(rng.uniform(6, 9))
    c.rect(m, m, c.w_mm - m, c.h_mm - m, outline=colour, width_mm=0.8)
    c.rect(m + 4.5, m + 4.5, c.w_mm - m - 4.5, c.h_mm - m - 4.5, outline=colour, width_mm=0.3)
    step, r = 4.0, 1.3
    for side in range(4):
        length = (c.w_mm if side % 2 == 0 else c.h_mm) - 2 * m - 6
        for i in range(int(length / step)):
            t = m + 3 + i * step + step / 2
            x, y = [(t, m + 2.25), (c.w_mm - m - 2.25, t), (t, c.h_mm - m - 2.25), (m + 2.25, t)][side]
            pts = [(c.px(x), c.px(y - r)), (c.px(x + r), c.px(y)), (c.px(x), c.px(y + r)), (c.px(x - r), c.px(y))]
            c.draw.polygon(pts, outline=colour)
    return m + 8


def birth_certificate(rng, f: dict, extra: dict) -> tuple:
    """Draw the certificate; returns (image, px per mm, value font label, size in mm)."""
    w, h = float(rng.uniform(185, 210)), float(rng.uniform(262, 297))
    scale = float(rng.uniform(12, 14))
    tint = [(236, 242, 232), (244, 236, 236), (238, 240, 246), (246, 244, 236)][int(rng.integers(4))]
    c = Canvas(w, h, scale, tint, rng, 0.25)
    frame = [(150, 60, 60), (60, 110, 80), (70, 80, 140), (140, 110, 60)][int(rng.integers(4))]
    inner = _border(c, rng, frame)
    lab = fonts.pick(rng, style="serif")
    title = fonts.pick(rng, style="serif", bold=True)
    val = fonts.pick(rng)
    val_ink = ink(rng)
    lab_ink = tuple(int(v * 0.6) for v in frame)
    x0, x1 = inner + float(rng.uniform(2, 6)), w - inner - 2
    cx = w / 2
    y = inner + float(rng.uniform(14, 20))
    c.centred(cx, y, "出生医学证明", title, float(rng.uniform(9, 11)), lab_ink, spacing_mm=float(rng.uniform(1.5, 4)))
    y += 9
    c.centred(cx, y, "Medical Certificate of Birth", lab, float(rng.uniform(4.2, 5)), lab_ink)
    y += 11
    no_x = w - inner - 62
    end = c.text(no_x, y, "编号", lab, 3.8, lab_ink)
    end = c.text(end + 1, y, "No.", lab, 3.2, lab_ink)
    c.text(end + 3, y, f["certificate_number"], fonts.mono_face(rng), 4.6, (175, 30, 30))
    if extra.get("layout") == "grid":
        _certificate_grid(c, rng, f, extra, (x0, x1, y + float(rng.uniform(6, 10)), h - inner - 8), (lab, lab_ink),
                          (val, val_ink))
        return c.img, scale, val.label, (w, h)

    lsize = float(rng.uniform(3.6, 4.2))  # label size: ~45-60 px at 12-14 px/mm
    vsize = float(rng.uniform(4.0, 4.8))
    esize = lsize * 0.72
    gap = float(rng.uniform(12.5, 14.5)) * (h / 285)
    jitter = lambda: float(rng.uniform(-0.8, 0.8))  # noqa: E731  values are never exactly on the line

    def field(x, y, zh, en, value, right=None, size=vsize):
        end = c.text(x, y, zh, lab, lsize, lab_ink)
        end = c.text(end + 1.2, y, en, lab, esize, lab_ink)
        start = end + 2.5
        stop = right if right is not None else x1
        c.line(start, y + 1.2, stop - 2, y + 1.2, fill=lab_ink, width_mm=0.15)
        s = fit(c, value, val, size, stop - start - 3)
        c.text(start + 1 + jitter(), y + jitter() * 0.5, value, val, s, val_ink)

    mid = x0 + (x1 - x0) * float(rng.uniform(0.56, 0.62))
    born = extra["born"]
    y += gap + 4
    field(x0, y, "新生儿姓名", "Name", f["child_name"], right=mid)
    field(mid, y, "性别", "Sex", SEX_ZH[f["child_sex"]])
    y += gap
    field(x0, y, "出生时间", "Date of Birth", f"{born.year}年{born.month}月{born.day}日{born.hour}时{born.minute}分")
    y += gap
    field(x0, y, "出生孕周", "Gestational Age", f"{extra['weeks']}周", right=mid)
    field(mid, y, "健康状况", "Health", extra["health"])
    y += gap
    field(x0, y, "出生体重", "Birth Weight", f"{extra['weight_g']}克", right=mid)
    field(mid, y, "出生身长", "Length", f"{extra['length_cm']}厘米")
    y += gap
    field(x0, y, "出生地点", "Place of Birth", extra["place"])
    y += gap
    field(x0, y, "医疗机构名称", "Medical Institution", extra["hospital"])
    for who, en in (("mother", "Mother's"), ("father", "Father's")):
        y += gap * 1.25
        zh = "母亲" if who == "mother" else "父亲"
        third = x0 + (x1 - x0) * 0.47
        field(x0, y, f"{zh}姓名", f"{en} Name", f[f"{who}_name"], right=third)
        field(third, y, "年龄", "Age", str(extra[f"{who}_age"]), right=mid + 8)
        field(mid + 8, y, "国籍", "Nationality", "中国")
        y += gap
        field(x0, y, "民族", "Ethnicity", extra[f"{who}_ethnicity"] + "族", right=x0 + 52)
        field(x0 + 52, y, "住址", "Address", extra[f"{who}_address"])
        y += gap
        field(x0, y, "有效身份证件号码", "ID No.", f[f"{who}_id_number"])
    y = max(y + gap * 1.4, h - inner - 14)
    field(x0, y, "签发机构", "Issued by", extra["hospital"], right=mid + 6)
    d = extra["issued"]
    field(mid + 6, y, "签发日期", "Date", f"{d.year}年{d.month}月{d.day}日")
    stamp(c, x0 + float(rng.uniform(40, 70)), y - float(rng.uniform(4, 10)), float(rng.uniform(17, 21)),
          extra["hospital"] + "出生医学证明专用章", lab, rng)
    return c.img, scale, val.label, (w, h)


# The certificate's two layouts (`intake samples --certificate-layout`): labels in Chinese and English on
# ruled lines, or labels in Chinese only in the cells of a grid, as some provinces print it.
CERTIFICATE_LAYOUTS = ("ruled", "grid")


def _certificate_grid(c: Canvas, rng, f: dict, extra: dict, area: tuple, label_style: tuple,
                      value_style: tuple) -> None:
    """The certificate's fields in a ruled grid (label cell, value cell; two or three pairs a row)."""
    x0, x1, top, bottom = area
    lab, lab_ink = label_style
    val, val_ink = value_style
    lsize, vsize = float(rng.uniform(3.3, 3.9)), float(rng.uniform(3.8, 4.5))
    born, issued = extra["born"], extra["issued"]
    rows = [[("新生儿姓名", f["child_name"]), ("性别", SEX_ZH[f["child_sex"]])],
            [("出生时间", f"{born.year}年{born.month}月{born.day}日{born.hour}时{born.minute}分")],
            [("出生孕周", f"{extra['weeks']}周"), ("健康状况", extra["health"])],
            [("出生体重", f"{extra['weight_g']}克"), ("出生身长", f"{extra['length_cm']}厘米")],
            [("出生地点", extra["place"])],
            [("医疗机构名称", extra["hospital"])]]
    for who, zh in (("mother", "母亲"), ("father", "父亲")):
        rows += [[(f"{zh}姓名", f[f"{who}_name"]), ("年龄", str(extra[f"{who}_age"])), ("国籍", "中国")],
                 [("民族", extra[f"{who}_ethnicity"] + "族"), ("住址", extra[f"{who}_address"])],
                 [("有效身份证件号码", f[f"{who}_id_number"])]]
    rows.append([("签发机构", extra["hospital"]), ("签发日期", f"{issued.year}年{issued.month}月{issued.day}日")])
    row_h = (bottom - top) / len(rows)
    label_w = (x1 - x0) * float(rng.uniform(0.2, 0.24))
    c.rect(x0, top, x1, bottom, outline=lab_ink, width_mm=0.5)
    for i, row in enumerate(rows):
        y0 = top + i * row_h
        if i:
            c.line(x0, y0, x1, y0, fill=lab_ink, width_mm=0.25)
        base = y0 + row_h / 2 + lsize * 0.38
        span = (x1 - x0) / len(row)
        for j, (label, value) in enumerate(row):
            a = x0 + j * span
            cell = (a, a + min(label_w, span * 0.42), a + span)
            _cell(c, rng, cell, (y0, row_h, base), label, value, (lab, lsize, lab_ink), (val, vsize, val_ink),
                  first=j == 0)
    # Over the date of issue, at the table's foot: clear of the numbers above it.
    stamp(c, x0 + (x1 - x0) * float(rng.uniform(0.66, 0.84)), bottom + float(rng.uniform(-2, 4)),
          float(rng.uniform(17, 21)), extra["hospital"] + "出生医学证明专用章", lab, rng)


# (label, value key, colspan) rows of the member page; None value = printed empty
_HH_ROWS = [
    [("姓名", "name"), ("户主或与户主关系", "relation")],
    [("曾用名", None), ("性别", "sex")],
    [("出生地", "birthplace"), ("民族", "ethnicity")],
    [("籍贯", "origin"), ("出生日期", "birth_date")],
    [("本市（县）其他住址", None)],
    [("宗教信仰", None), ("公民身份号码", "id_number")],
    [("身高", None), ("血型", None)],
    [("文化程度", None), ("婚姻状况", None)],
    [("兵役状况", None), ("职业", None)],
    [("服务处所", None)],
    [("何时由何地迁来本市（县）", None)],
    [("何时由何地迁来本址", None)],
]


def household_register(rng, f: dict, extra: dict) -> tuple:
    """Draw the member page; returns (image, px per mm, value font label, size in mm)."""
    w, h = float(rng.uniform(132, 146)), float(rng.uniform(188, 202))
    scale = float(rng.uniform(12.5, 15))
    tint = [(236, 240, 246), (244, 240, 230), (238, 244, 236)][int(rng.integers(3))]
    c = Canvas(w, h, scale, tint, rng, 0.2)
    lab = fonts.pick(rng, style="serif")
    val = fonts.pick(rng)
    line_ink = [(60, 60, 70), (90, 50, 50), (40, 70, 110)][int(rng.integers(3))]
    val_ink = ink(rng)
    mx = float(rng.uniform(6, 9))
    c.centred(w / 2, 17, "常住人口登记卡", fonts.pick(rng, style="serif", bold=True), float(rng.uniform(6.5, 8)),
              line_ink, spacing_mm=float(rng.uniform(1, 2.5)))
    top, bottom = 24.0, h - 24
    row_h = (bottom - top) / len(_HH_ROWS)
    tw = w - 2 * mx
    cols = [mx, mx + tw * 0.17, mx + tw * 0.47, mx + tw * 0.64, w - mx]
    lsize, vsize = float(rng.uniform(3.0, 3.4)), float(rng.uniform(3.4, 4.0))
    values = {
        "name": f["name"], "relation": f["relation"], "sex": SEX_ZH[f["sex"]],
        "birthplace": extra["birthplace"], "ethnicity": extra["ethnicity"] + "族", "origin": extra["birthplace"],
        "birth_date": _hh_date(rng, f["birth_date"]), "id_number": f["id_number"],
    }
    c.rect(mx, top, w - mx, bottom, outline=line_ink, width_mm=0.5)
    for i, row in enumerate(_HH_ROWS):
        y0 = top + i * row_h
        if i:
            c.line(mx, y0, w - mx, y0, fill=line_ink, width_mm=0.25)
        base = y0 + row_h / 2 + lsize * 0.38
        cells = [(cols[0], cols[1], cols[4])] if len(row) == 1 else [(cols[0], cols[1], cols[2]),
                                                                      (cols[2], cols[3], cols[4])]
        if len(row) == 1 and len(row[0][0]) > 6:
            cells = [(cols[0], cols[2] - tw * 0.05, cols[4])]  # long labels get a wider cell
        for (label, key), cell in zip(row, cells, strict=True):
            value = values.get(key) if key else None
            face = fonts.mono_face(rng) if key == "id_number" and value else val
            _cell(c, rng, cell, (y0, row_h, base), label, value, (lab, lsize, line_ink), (face, vsize, val_ink),
                  first=cell[0] == cols[0])
    y = bottom + 9
    end = c.text(mx + 2, y, "承办人签章：", lab, lsize, line_ink)
    c.text(end + 2, y, extra["clerk"], fonts.pick(rng, style="kai"), vsize, val_ink)
    d = extra["registered"]
    end = c.text(w * 0.55, y, "登记日期：", lab, lsize, line_ink)
    c.text(end + 1, y, f"{d.year}年{d.month:02d}月{d.day:02d}日", val, vsize * 0.9, val_ink)
    stamp(c, w * float(rng.uniform(0.6, 0.8)), y - float(rng.uniform(3, 9)), float(rng.uniform(14, 17)),
          extra["station"] + "户口专用章", lab, rng, alpha=float(rng.uniform(0.35, 0.6)))
    return c.img, scale, val.label, (w, h)


def _cell(c: Canvas, rng, cell: tuple, row: tuple, label: str, value: str | None, label_style: tuple,
          value_style: tuple, first: bool) -> None:
    """One cell of a ruled grid: its label centred in the label column (a, b), its value printed a little
    off in the value column (b, e); `row` is the row's top, height and text baseline."""
    (a, b, e), (y0, row_h, base) = cell, row
    lab, lsize, line_ink = label_style
    face, vsize, val_ink = value_style
    c.line(b, y0, b, y0 + row_h, fill=line_ink, width_mm=0.2)
    if not first:
        c.line(a, y0, a, y0 + row_h, fill=line_ink, width_mm=0.25)
    s = fit(c, label, lab, lsize, b - a - 2, 2.0)
    c.centred((a + b) / 2, base, label, lab, s, line_ink)
    if value:
        s = fit(c, value, face, vsize, e - b - 2.5, 2.4)
        c.text(b + 1.5 + float(rng.uniform(0, 1.5)), base + float(rng.uniform(-0.6, 0.6)), value, face, s, val_ink)


def _hh_date(rng, iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.year}年{d.month:02d}月{d.day:02d}日" if rng.random() < 0.65 else iso

"""A generated set's documents printed again as another office's plain forms, for bench/accuracy.py.

    python bench/forms.py SET OUT colon     # one field a row: 新生儿姓名：王梓涵
    python bench/forms.py SET OUT space     # the label, then the value in a column of its own
    python bench/forms.py SET OUT stacked   # the label in grey, its value on the row below
    python bench/forms.py SET OUT spread    # as space, short labels spread to a column's width: 姓　　名
    python bench/forms.py SET OUT words     # as space, labels worded as other forms word them (母亲身份证号, 证书编号)
    python bench/forms.py SET OUT odd       # as colon, with dates and validity periods written other ways
                                            # (2026-11-04, 2026/11/04, 2026 年 11 月 4 日, 2020.09.08 至 2030.09.08)

The generator draws each document one way (two for the certificate); this measures the reading on
layouts it does not draw, as another maker's samples would be. Each document becomes one PNG page in a
face of the generator's fonts; the photo and a planted unreadable file are copied as they were; the truth is the set's own, with the files
renamed, so `python bench/accuracy.py --set OUT` scores it.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from intake.samplegen import fonts

SEX = {"male": "男", "female": "女"}
STYLES = ("colon", "space", "stacked", "spread", "words", "odd")


def written_date(iso: str, rng: np.random.Generator, odd: bool) -> str:
    y, m, d = iso.split("-")
    ways = [f"{int(y)}年{int(m)}月{int(d)}日"]
    if odd:
        ways = [iso, f"{y}/{m}/{d}", f"{y}.{m}.{d}", f"{y}年{m}月{d}日", f"{y} 年 {int(m)} 月 {int(d)} 日"]
    return ways[int(rng.integers(len(ways)))]


def validity(start: str, end: str, rng: np.random.Generator, odd: bool) -> str:
    dotted = start.replace("-", "."), end if end == "长期" else end.replace("-", ".")
    ways = [f"{dotted[0]}-{dotted[1]}"]
    if odd:
        ways += [f"{dotted[0]} 至 {dotted[1]}", f"{dotted[0]}—{dotted[1]}", f"{start}至{end}"]
    return ways[int(rng.integers(len(ways)))]


def form(doc: dict, rng: np.random.Generator, odd: bool) -> tuple[str, list[tuple[str, str]]] | None:
    """The form's title and its label-value rows, in the order the document prints them."""
    f = doc["fields"]
    if doc["type"] == "birth_certificate":
        hour = "" if odd and rng.random() < 0.5 else " 10时20分"
        return "出生医学证明", [
            ("新生儿姓名", f["child_name"]), ("性别", SEX[f["child_sex"]]),
            ("出生时间", written_date(f["birth_date"], rng, odd) + hour), ("母亲姓名", f["mother_name"]),
            ("母亲身份证号码", f["mother_id_number"]), ("父亲姓名", f["father_name"]),
            ("父亲身份证号码", f["father_id_number"]), ("出生医学证明编号", f["certificate_number"])]
    if doc["type"] == "id_card_front":
        return "居民身份证", [
            ("姓名", f["name"]), ("性别", SEX[f["sex"]]), ("民族", f["ethnicity"]),
            ("出生", written_date(f["birth_date"], rng, odd)), ("住址", f["address"]), ("公民身份号码", f["id_number"])]
    if doc["type"] == "id_card_back":
        return "中华人民共和国 居民身份证", [
            ("签发机关", f["issuing_authority"]), ("有效期限", validity(f["valid_from"], f["valid_until"], rng, odd))]
    if doc["type"] == "household_register":
        return "常住人口登记卡", [
            ("姓名", f["name"]), ("户主或与户主关系", f["relation"]), ("性别", SEX[f["sex"]]),
            ("出生日期", written_date(f["birth_date"], rng, odd)), ("公民身份号码", f["id_number"])]
    if doc["type"] == "social_security_card":
        return "中华人民共和国社会保障卡", [
            ("姓名", f["name"]), ("社会保障号码", f["social_security_number"]), ("卡号", f["card_number"])]
    return None


# Labels as other forms and offices word them.
WORDINGS = {
    "出生时间": ("出生时间", "出生日期"),
    "母亲身份证号码": ("母亲身份证号码", "母亲有效身份证件号码", "母亲身份证号", "母亲证件号码"),
    "父亲身份证号码": ("父亲身份证号码", "父亲有效身份证件号码", "父亲身份证号", "父亲证件号码"),
    "出生医学证明编号": ("出生医学证明编号", "编号", "出生证编号", "证书编号"),
    "公民身份号码": ("公民身份号码", "公民身份证件编号", "身份证号码", "身份证号"),
    "户主或与户主关系": ("户主或与户主关系", "与户主关系"),
    "社会保障号码": ("社会保障号码", "社会保障号", "社保号码"),
    "卡号": ("卡号", "社保卡号"),
}


def reworded(label: str, rng: np.random.Generator) -> str:
    choices = WORDINGS.get(label, (label,))
    return choices[int(rng.integers(len(choices)))]


def spread(label: str) -> str:
    """A short label spread to four characters' width, as printed forms justify their labels: 姓　　名, 民　　族,
    曾 用 名 (the ideographic space is one character wide, the ASCII one about half)."""
    if len(label) == 2:
        return label[0] + "\u3000\u3000" + label[1]
    if len(label) == 3:
        return " ".join(label)
    return label


def page(title: str, rows: list[tuple[str, str]], style: str, rng: np.random.Generator) -> Image.Image:
    face = fonts.pick(rng)
    size = int(rng.integers(34, 45))
    step = int(size * 2.0)
    width = 1700
    height = 260 + len(rows) * step * (2 if style == "stacked" else 1)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)

    def write(x: int, y: int, text: str, fill="black", scale: float = 1.0) -> None:
        # A face without a character (the GB fonts have no ASCII digits) hands the text to one that has it.
        draw.text((x, y), text, font=fonts.font(fonts.for_text(face, text), int(size * scale)), fill=fill)

    write(width // 2 - len(title) * size * 3 // 4, 60, title, scale=1.5)
    y = 200
    for label, value in rows:
        if style in ("space", "spread", "words"):
            if style == "words":
                label = reworded(label, rng)
            write(120, y, spread(label) if style == "spread" else label)
            # The values' column starts past the longest label (母亲有效身份证件号码 is ten characters).
            write(120 + size * max(9, len(label) + 2), y, value)
        elif style == "stacked":
            write(120, y, label, fill=(90, 90, 90))
            y += int(size * 1.6)
            write(120, y, value)
        else:
            write(120, y, f"{label}：{value}")
        y += step
    return image


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("style", choices=STYLES)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(7)
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    for truth_file in sorted(args.set.glob("*.truth.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        source, target = args.set / truth["application_id"], args.out / truth["application_id"]
        target.mkdir()
        documents = []
        for n, doc in enumerate(truth["documents"]):
            printed = form(doc, rng, args.style == "odd")
            if printed is None:  # the photo, the planted unreadable file: as they were
                shutil.copy(source / doc["file"], target / doc["file"])
                documents.append(doc)
            else:
                name = f"form_{n:02d}.png"
                page(*printed, "colon" if args.style == "odd" else args.style, rng).save(target / name)
                documents.append({**doc, "file": name, "page": 1})
        truth["documents"] = documents
        (args.out / truth_file.name).write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

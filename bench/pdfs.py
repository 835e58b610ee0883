"""A generated set again as PDFs made by other tools, for bench/accuracy.py.

    python bench/pdfs.py SET OUT --dpi 72          # every picture a PDF of its own, as Pillow writes one by default
    python bench/pdfs.py SET OUT --dpi 600         # ... as a tool that takes a photo for a 600 dpi scan writes one
    python bench/pdfs.py SET OUT --dpi 300 --one   # each application's pictures one PDF, a page each

A PDF says how large its page is in points, not how many pixels the picture on it has: the same photo is
a 38-inch page at 72 dpi and a 4.6-inch one at 600. This measures the reading on PDFs whatever size their
maker gave the page. Pictures the set holds as PDFs already, and the planted unreadable file, are kept as
they are; the truth is the set's own, its file names and pages rewritten.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from PIL import Image, ImageOps
from pillow_heif import register_heif_opener

register_heif_opener()


def pictures(folder: Path, truth: dict) -> list[str]:
    """The application's files that Pillow opens as one picture, the planted unreadable file left out."""
    broken = {doc["file"] for doc in truth["documents"] if doc["type"] == "unreadable"}
    names = []
    for doc in truth["documents"]:
        name = doc["file"]
        if name in broken or name in names or name.lower().endswith(".pdf"):
            continue
        names.append(name)
    return [name for name in names if (folder / name).is_file()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--dpi", type=float, default=72.0, help="the resolution the PDF gives its pictures")
    parser.add_argument("--one", action="store_true", help="an application's pictures in one PDF")
    args = parser.parse_args(argv)
    shutil.copytree(args.set, args.out, dirs_exist_ok=True)
    written = 0
    for truth_path in sorted(args.out.glob("*.truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        folder = args.out / truth_path.name[: -len(".truth.json")]
        names = pictures(folder, truth)
        images = [ImageOps.exif_transpose(Image.open(folder / name)).convert("RGB") for name in names]
        if not images:
            continue
        where = {}
        if args.one:
            images[0].save(folder / "scan.pdf", "PDF", save_all=True, append_images=images[1:], resolution=args.dpi)
            where = {name: ("scan.pdf", index + 1) for index, name in enumerate(names)}
        else:
            for name, image in zip(names, images):
                pdf = Path(name).stem + "_" + Path(name).suffix.lstrip(".").lower() + ".pdf"
                image.save(folder / pdf, "PDF", resolution=args.dpi)
                where[name] = (pdf, 1)
        for name in names:
            (folder / name).unlink()
        for doc in truth["documents"]:
            if doc["file"] in where:
                doc["file"], doc["page"] = where[doc["file"]]
        truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=2), encoding="utf-8")
        written += len(images)
    print(f"{written} pictures written as PDF pages ({args.dpi:g} dpi{', one PDF an application' if args.one else ''}) in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

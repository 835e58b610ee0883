"""The typed values that flow between pipeline stages, and the report's shape.

report.json is exported from `Report` (``intake schema``), so the contract in
shared/CONTRACT.md lives here as code: rename nothing without a new
``schema_version``.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


class DocumentType(str, Enum):
    birth_certificate = "birth_certificate"
    id_card_front = "id_card_front"
    id_card_back = "id_card_back"
    household_register = "household_register"
    social_security_card = "social_security_card"
    photo = "photo"
    unknown = "unknown"
    unreadable = "unreadable"


Person = Literal["child", "mother", "father"]
CheckStatus = Literal["pass", "fail", "review", "skipped"]
AppStatus = Literal["complete", "incomplete", "inconsistent", "needs_review"]


# --- pipeline values (not in report.json) -----------------------------------


class ApplicationInput(BaseModel):
    """One application: a folder and the document files found in it."""

    application_id: str = Field(description="The folder name.")
    folder: Path = Field(description="The application folder.")
    files: list[Path] = Field(default_factory=list, description="Files, relative to folder, sorted.")
    problems: list[tuple[str, str]] = Field(
        default_factory=list,
        description="(relative file, reason) for entries found but not openable as files at all.",
    )


class Page(BaseModel):
    """One decoded page: an image file, or one page of a PDF or of a multi-page TIFF."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    file: str = Field(description="Path relative to the application folder.")
    page: int = Field(1, description="1-based page number (1 for an image).")
    image: np.ndarray | None = Field(None, description="BGR or grey pixels; None when unreadable.")
    error: str | None = Field(None, description="Why the page could not be decoded.")
    sha256: str | None = Field(None, description="Content hash of the source file.")


class Word(BaseModel):
    text: str
    box: tuple[int, int, int, int] = Field(description="left, top, right, bottom in page pixels.")
    confidence: float = Field(ge=0, le=1)
    line: int = Field(0, description="Index of the text line the word belongs to.")
    alternatives: list[dict[str, float]] | None = Field(
        None, description="For each character of text, the characters the recogniser weighed there and how "
                          "likely each was (engines that say: PP-OCR's).")


class OcrText(BaseModel):
    """What an OCR engine read on one prepared page."""

    words: list[Word] = Field(default_factory=list)
    width: int = 0
    height: int = 0
    source: str = Field("", description="The engine that read the page.")
    tilt: float = Field(0.0, description="Degrees the text runs slope (image y down: negative rises to the "
                                         "right), as the engine's text boxes show; 0 when it cannot tell.")
    coarse: bool = Field(False, description="The text runs were found on a reduced copy of the page (its "
                                            "text large): a reading in the 'auto' layout finds them at "
                                            "full detail and may read a character more.")

    def lines(self) -> list[list[Word]]:
        grouped: dict[int, list[Word]] = {}
        for w in self.words:
            grouped.setdefault(w.line, []).append(w)
        return [sorted(ws, key=lambda w: w.box[0]) for _, ws in sorted(grouped.items())]

    def text(self) -> str:
        return "\n".join("".join(w.text for w in line) for line in self.lines())


class Prepared(BaseModel):
    """A page after capture clean-up, ready for OCR."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    page: Page
    image: np.ndarray | None = Field(None, description="Cleaned grey image.")
    colour: np.ndarray | None = Field(None, description="Rectified colour image (for photo checks).")
    rotation: int = Field(0, description="Degrees clockwise the page was turned to be upright.")
    rotation_confidence: float = 0.0
    warnings: list[str] = Field(default_factory=list)


# --- report.json ------------------------------------------------------------


class FieldValue(BaseModel):
    value: str | None = Field(description="Normalised value, or null when it could not be read.")
    confidence: float = Field(ge=0, le=1, description="How sure the reading is, 0..1.")
    corrected_by: str | None = Field(None, description="Staff account that corrected this value, if any.")
    # Not in report.json: what another reading of the same name, number or date is checked against (reconcile;
    # a date's are its eight digits').
    alternatives: list[dict[str, float]] | None = Field(None, exclude=True)
    # Not in report.json: a value made to hold rather than read (an ID number restored from a reading a
    # character short); two readings guessed alike are one guess, not two readings agreeing.
    guessed: bool = Field(False, exclude=True)


class Document(BaseModel):
    file: str = Field(description="Path relative to the application folder.")
    page: int = Field(1, description="1-based page number; 1 for an image.")
    type: DocumentType = Field(description="What document this page is.")
    person: Person | None = Field(None, description="Whose document it is.")
    fields: dict[str, FieldValue] = Field(default_factory=dict, description="Extracted fields.")
    error: str | None = Field(None, description="Why the file could not be read, if it could not.")
    warnings: list[str] = Field(default_factory=list, description="Capture quality warnings.")
    rotation: int = Field(0, description="Degrees the page was turned to read it upright.")
    rotation_confidence: float = Field(
        0.0, ge=0, le=1,
        description="How sure that turn is: near 1 when the document's labels were read that way up; "
                    "for a page without labels (the photo), Tesseract OSD's own confidence.",
    )
    type_confidence: float = Field(0.0, ge=0, le=1, description="How sure the classification is.")


class Check(BaseModel):
    id: str = Field(description="Category, a dot, then what was checked, e.g. names.child.")
    status: CheckStatus
    message: str = Field(description="Chinese first, English after; ID numbers masked.")


class Deadline(BaseModel):
    birth_date: date | None = Field(None, description="The child's birth date used.")
    deadline: date | None = Field(None, description="Last day to apply.")
    days_left: int | None = Field(None, description="Days from as_of to the deadline; negative when overdue.")


class ApplicationReport(BaseModel):
    application_id: str = Field(description="The application folder's name.")
    status: AppStatus
    missing: list[str] = Field(default_factory=list, description="Required document types absent.")
    documents: list[Document] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    deadline: Deadline = Field(default_factory=Deadline)
    seconds: float = Field(0.0, description="Processing time (not compared between runs).")


class Report(BaseModel):
    schema_version: int = SCHEMA_VERSION
    as_of: date
    region: str
    applications: list[ApplicationReport] = Field(default_factory=list)

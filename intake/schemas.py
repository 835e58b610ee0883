"""Load the document definitions and region rule sets kept as YAML under schemas/.

A new card layout or region is a data change: these models check the files
and reject a mistyped key with the spelling they expected.
"""

from __future__ import annotations

import difflib
import os
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from intake.models import DocumentType, Person

FieldKind = Literal[
    "name", "sex", "date", "id_number", "certificate_number", "card_number",
    "ethnicity", "address", "authority", "relation", "validity_from", "validity_until",
]


class SchemaError(Exception):
    """A file under schemas/ is wrong (exit status 1: the installation is broken)."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _suggest(cls, data: object) -> object:
        if isinstance(data, dict):
            known = set(cls.model_fields)
            for key in data:
                if key not in known:
                    close = difflib.get_close_matches(str(key), known, n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {sorted(known)}"
                    raise ValueError(f"unknown key {key!r}{hint}")
        return data


class Section(Strict):
    after: list[str] = Field(default_factory=list, description="Labels the field comes after.")
    before: list[str] = Field(default_factory=list, description="Labels the field comes before.")


class RowWith(Strict):
    labels: list[str] = Field(description="Text printed on that row alone (a parent's nationality: 国籍, 中国).")
    numbers_above: int = Field(description="How many rows holding an ID number come before it on the page.")


class FieldSpec(Strict):
    labels: list[str] = Field(description="Printed labels that introduce the value, most specific first.")
    kind: FieldKind = Field(description="How the value is read and normalised.")
    section: Section | None = Field(None, description="Where on the page the label must be.")
    followed_by: list[str] = Field(
        default_factory=list,
        description="Labels printed right after the value on its line: the value ends where one begins, "
                    "even when only its first character was read (年 of 年龄 after a name).",
    )
    unlabelled: str | None = Field(
        None,
        description="A regular expression only this value matches on the page (a date with its hour; the "
                    "certificate number's letter and nine digits): where the label was not read, the first "
                    "match on the page is taken, as unsure.",
    )
    above: list[str] = Field(
        default_factory=list,
        description="Labels of the row printed right under the value's: where the value's own label was not "
                    "read, a row holding nothing but such a value just above that row is taken, as unsure.",
    )
    before: list[str] = Field(
        default_factory=list,
        description="Labels printed right after the value on its row: where the value's own label was not "
                    "read, what stands before such a label at the row's start is taken, as unsure.",
    )
    row_with: RowWith | None = Field(
        None,
        description="Where the value's own label was not read (a certificate's 母亲姓名 lost to glare): the first "
                    "cell right of the label column on the row that holds one of these labels, with so many ID "
                    "number rows above it, taken as unsure.",
    )
    beside: list[str] = Field(
        default_factory=list,
        description="Labels of the cell left of the value's label on a grid's row: where the value's own "
                    "label was not read, the run of text that starts in the row's right-hand cell, after a gap "
                    "between columns, is taken, as unsure.",
    )


class ClassifySpec(Strict):
    keywords: list[str] = Field(description="Printed words that identify this document.")
    titles: list[str] = Field(
        default_factory=list,
        description="Its printed title, found on no other document: read at all, even unsure, it counts as "
                    "three keywords (large type survives blur that takes the small labels).",
    )
    forms: list[str] = Field(
        default_factory=list,
        description="Regular expressions for its values' forms, each found on some line: where no document's "
                    "words were read (labels printed light, lost in a black-and-white copy) and these all "
                    "are, the page is this document, unsurely.",
    )


class IssuedBy(Strict):
    county: list[str] = Field(description="Names of a county's bureau, {county} the county's (金川县公安局).")
    district: list[str] = Field(description="Names of the bureau of a city's district, a branch of the city's: {city} "
                                            "the city, {district} the district's name without 区 (张家口市公安局宣化分局).")

    def names(self, county: str, city: str | None) -> list[str]:
        """The names a county's bureau is printed under: a city's district (…区) as a branch of the city's."""
        forms = self.district if county.endswith("区") and city else self.county
        return [form.format(county=county, city=city, district=county[:-1]) for form in forms]


class DocumentSchema(Strict):
    type: DocumentType
    title: str = Field(description="Name shown to staff, Chinese / English.")
    person: Person | None = Field(None, description="Whose document it always is, if fixed.")
    classify: ClassifySpec
    fields: dict[str, FieldSpec]
    other_labels: list[str] = Field(default_factory=list, description="Printed labels not read as fields; they end a value.")
    issued_by: IssuedBy | None = Field(
        None, description="How the office that issues the document for a county is named: an authority read one "
                          "character from the one the holder's ID number names, and as no place, is that one.")
    distinct: list[list[str]] = Field(
        default_factory=list,
        description="Fields that never hold the same value (a mother's and a father's ID number): read the "
                    "same, one row was read for both, and neither is trusted.",
    )

    @model_validator(mode="after")
    def _distinct_fields_exist(self) -> "DocumentSchema":
        unknown = {name for group in self.distinct for name in group} - set(self.fields)
        if unknown:
            raise ValueError(f"distinct names fields the document does not have: {sorted(unknown)}")
        return self


class Requirement(Strict):
    type: DocumentType
    person: Person | None = None


class Window(Strict):
    months: int | None = Field(None, ge=1, description="Calendar months after birth.")
    days: int | None = Field(None, ge=1, description="Days after birth.")

    @model_validator(mode="after")
    def _one(self) -> "Window":
        if (self.months is None) == (self.days is None):
            raise ValueError("window needs exactly one of months or days")
        return self


class Region(Strict):
    code: str
    name: str
    window: Window
    required: list[Requirement]
    insurance_holders: list[Literal["mother", "father"]] = Field(description="Parents whose card is accepted.")


def schemas_dir() -> Path:
    configured = os.environ.get("INTAKE_SCHEMAS")
    return Path(configured) if configured else Path(__file__).resolve().parent.parent / "schemas"


def _load(path: Path, model: type[BaseModel]) -> BaseModel:
    try:
        return model.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (ValidationError, yaml.YAMLError) as exc:
        raise SchemaError(f"{path}: {exc}") from exc


@lru_cache
def document_schemas() -> dict[DocumentType, DocumentSchema]:
    folder = schemas_dir() / "documents"
    loaded = [_load(p, DocumentSchema) for p in sorted(folder.glob("*.yaml"))]
    if not loaded:
        raise SchemaError(f"no document definitions in {folder}")
    return {s.type: s for s in loaded}  # type: ignore[attr-defined]


def document_title(doc_type: DocumentType) -> str:
    """What staff call the document ("出生医学证明 / birth certificate"), from its schema."""
    schema = document_schemas().get(doc_type)
    return schema.title if schema else doc_type.value


@lru_cache
def regions() -> dict[str, Region]:
    folder = schemas_dir() / "regions"
    return {r.code: r for r in (_load(p, Region) for p in sorted(folder.glob("*.yaml")))}  # type: ignore[attr-defined]


class UnknownRegion(Exception):
    """--region names no rule set (a usage error, exit status 2)."""


def region(code: str) -> Region:
    known = regions()
    if code not in known:
        raise UnknownRegion(f"未知地区 / unknown region {code!r}; known: {', '.join(sorted(known))}")
    return known[code]


@lru_cache
def value_list(name: str) -> list[str]:
    """A closed list of printed values (ethnic groups, household relations) from schemas/values/."""
    path = schemas_dir() / "values" / f"{name}.yaml"
    values = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise SchemaError(f"{path}: expected a list of strings")
    return values

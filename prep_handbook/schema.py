"""The field language of `data/template.yml`, and the pydantic models derived from it.

`template.yml` is the only place a section or field is declared: this module reads
it into `FieldSpec` trees and builds strict pydantic models from them, one per kind
of data file (and, for stories, one per data folder, since some keys are required
only in some folders).
"""

from __future__ import annotations

import math
from functools import cached_property
from typing import Annotated, Any, Literal, Optional

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, create_model, field_validator, model_validator
from pydantic_core import PydanticCustomError

FieldType = Literal["text", "integer", "number", "boolean", "list", "object", "records", "choice"]


class FieldSpec(BaseModel):
    """One declared field: its key, shape, prompt and constraints."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    key: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
    type: FieldType
    title: Optional[str] = None
    prompt: str
    required: bool = False
    required_in: tuple[str, ...] = ()
    placeholder: Optional[str] = None
    choices: Optional[tuple[str, ...]] = None
    minimum: Optional[float] = None
    maximum: Optional[float] = None
    pattern: Optional[str] = None
    layout: Optional[Literal["table", "list"]] = None
    fields: tuple["FieldSpec", ...] = ()

    @field_validator("required_in", "choices", "fields", mode="before")
    @classmethod
    def _tuples(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value

    @model_validator(mode="after")
    def _shape(self) -> "FieldSpec":
        nested = self.type in ("object", "records")
        if nested and not self.fields:
            raise ValueError(f"{self.key}: type {self.type} needs fields")
        if self.fields and not nested:
            raise ValueError(f"{self.key}: only object and records take fields")
        if self.type == "choice" and not self.choices:
            raise ValueError(f"{self.key}: type choice needs choices")
        return self

    @property
    def label(self) -> str:
        """The title shown to readers, falling back to the key."""
        return self.title or self.key.replace("_", " ").capitalize()

    def is_required(self, folder: str | None = None) -> bool:
        """Say whether the field must be present in a file of `folder`."""
        return self.required or (folder is not None and folder in self.required_in)


class StorySpec(BaseModel):
    """The story template: metadata keys and the sections of a story, in order."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    title: str
    intro: str
    meta: tuple[FieldSpec, ...]
    sections: tuple[FieldSpec, ...]

    @field_validator("meta", "sections", mode="before")
    @classmethod
    def _tuples(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value

    @property
    def fields(self) -> tuple[FieldSpec, ...]:
        """Every top-level key of a story: metadata first, then sections."""
        return self.meta + self.sections


class KindSpec(BaseModel):
    """The fields of a non-story data file (hypothetical, playbook)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    title: str
    fields: tuple[FieldSpec, ...]

    @field_validator("fields", mode="before")
    @classmethod
    def _tuples(cls, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value


class Template(BaseModel):
    """The whole of `data/template.yml`."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    version: Literal[1]
    story: StorySpec
    hypothetical: KindSpec
    playbook: KindSpec
    kit: KindSpec

    def fields_for(self, kind: str) -> tuple[FieldSpec, ...]:
        """Return the top-level fields of a kind of data file."""
        return self.story.fields if kind == "story" else getattr(self, kind).fields

    @cached_property
    def _models(self) -> dict:
        return {}

    def model_for(self, kind: str, folder: str | None = None) -> type[BaseModel]:
        """Return the pydantic model that checks a `kind` file found in `folder`."""
        cache_key = (kind, folder)
        if cache_key not in self._models:
            self._models[cache_key] = build_model(kind.capitalize(), self.fields_for(kind), folder)
        return self._models[cache_key]


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

# The largest number a story may hold: a quadrillion is already past any team's figure, and every
# number below it prints exactly, in Python and in the browser alike.
NUMBER_LIMIT = 10**15


def _finite_in_range(value: Any) -> Any:
    """Refuse inf, nan and numbers past ±10^15 with one plain message, before any arithmetic sees them."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return value
    if isinstance(value, float) and math.isnan(value):
        raise PydanticCustomError("number_range", "must be a number; got .nan (not a number)")
    if isinstance(value, float) and math.isinf(value):
        raise PydanticCustomError("number_range", "must be a finite number; got {value}", {"value": "-.inf" if value < 0 else ".inf"})
    if abs(value) > NUMBER_LIMIT:
        shown = str(value) if len(str(value)) <= 24 else str(value)[:21] + "..."
        raise PydanticCustomError("number_range", "must be between −10^15 and 10^15; got {value}", {"value": shown})
    return value


InRange = BeforeValidator(_finite_in_range)


def _annotation(spec: FieldSpec, name: str, folder: str | None) -> Any:
    constraints: dict[str, Any] = {}
    if spec.minimum is not None:
        constraints["ge"] = spec.minimum
    if spec.maximum is not None:
        constraints["le"] = spec.maximum
    if spec.type == "text":
        if spec.pattern:
            return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=spec.pattern)]
        return Text
    if spec.type == "integer":
        return Annotated[int, InRange, Field(**constraints)]
    if spec.type == "number":
        return Annotated[float, InRange, Field(**constraints)]
    if spec.type == "boolean":
        return bool
    if spec.type == "choice":
        return Literal[spec.choices]  # type: ignore[valid-type]
    if spec.type == "list":
        item = Literal[spec.choices] if spec.choices else Text  # type: ignore[valid-type]
        return Annotated[list[item], Field(min_length=1)]
    sub = build_model(name + spec.key.title().replace("_", ""), spec.fields, folder)
    if spec.type == "object":
        return sub
    return Annotated[list[sub], Field(min_length=1)]


def build_model(name: str, fields: tuple[FieldSpec, ...], folder: str | None = None) -> type[BaseModel]:
    """Build a strict pydantic model for `fields`; unknown keys and empty values are refused."""
    definitions: dict[str, Any] = {}
    for spec in fields:
        annotation = _annotation(spec, name, folder)
        if spec.is_required(folder):
            definitions[spec.key] = (annotation, ...)
        else:
            # Absent is fine; an explicit empty value (`key:` with nothing) is not.
            definitions[spec.key] = (annotation, None)
    config = ConfigDict(extra="forbid", strict=True)
    return create_model(name, __config__=config, **definitions)

"""A JSON Schema of the story format, generated from `data/template.yml`.

Editors that speak the YAML language server read it (`# yaml-language-server: $schema=`
at the top of a story) to complete keys and flag mistakes while the writer types. It
mirrors the strict models of `schema.py`: unknown keys refused, empty values refused,
required keys as the template declares them for a folder.
"""

from __future__ import annotations

import json
from typing import Any

from .schema import FieldSpec, Template

DIALECT = "https://json-schema.org/draft/2020-12/schema"
NOTE = "Generated from data/template.yml by `handbook schema`: edit data/template.yml, not this file."


def field_schema(spec: FieldSpec, folder: str | None) -> dict[str, Any]:
    """Return the JSON Schema of one declared field."""
    out: dict[str, Any] = {"title": spec.label, "description": spec.prompt}
    if spec.type == "text":
        out.update(type="string", minLength=1)
        if spec.pattern:
            out["pattern"] = spec.pattern
    elif spec.type in ("integer", "number"):
        out["type"] = spec.type
        if spec.minimum is not None:
            out["minimum"] = _num(spec.minimum)
        if spec.maximum is not None:
            out["maximum"] = _num(spec.maximum)
    elif spec.type == "boolean":
        out["type"] = "boolean"
    elif spec.type == "choice":
        out["enum"] = list(spec.choices or ())
    elif spec.type == "list":
        item: dict[str, Any] = {"enum": list(spec.choices)} if spec.choices else {"type": "string", "minLength": 1}
        out.update(type="array", minItems=1, items=item)
    elif spec.type == "object":
        out.update(object_schema(spec.fields, folder))
    elif spec.type == "records":
        out.update(type="array", minItems=1, items=object_schema(spec.fields, folder))
    if spec.placeholder:
        out["examples"] = [spec.placeholder]
    return out


def object_schema(fields: tuple[FieldSpec, ...], folder: str | None) -> dict[str, Any]:
    """Return the JSON Schema of a mapping of declared fields: no other keys allowed."""
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {spec.key: field_schema(spec, folder) for spec in fields},
    }
    required = [spec.key for spec in fields if spec.is_required(folder)]
    if required:
        schema["required"] = required
    return schema


def story_schema(template: Template, folder: str = "stories") -> dict[str, Any]:
    """Return the JSON Schema of a story file in `folder` (the bank, by default)."""
    return {
        "$schema": DIALECT,
        "$comment": NOTE,
        "title": template.story.title,
        "description": " ".join(template.story.intro.split()),
        **object_schema(template.story.fields, folder),
    }


def story_schema_text(template: Template) -> str:
    """Return the schema as the text committed at schema/story.schema.json."""
    return json.dumps(story_schema(template), indent=2, ensure_ascii=False) + "\n"


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def kit_schema(template: Template) -> dict[str, Any]:
    """Return the JSON Schema of a prep kit (data/kits/<owner>.yml)."""
    return {
        "$schema": DIALECT,
        "$comment": NOTE,
        "title": template.kit.title,
        "description": "The practice blueprint beside your stories: chosen stories, playbooks, guardrails, metrics, rehearsals.",
        **object_schema(template.kit.fields, "kits"),
    }


def kit_schema_text(template: Template) -> str:
    """Return the kit schema as the text committed at schema/kit.schema.json."""
    return json.dumps(kit_schema(template), indent=2, ensure_ascii=False) + "\n"

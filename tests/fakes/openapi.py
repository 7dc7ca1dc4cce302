"""A small OpenAPI 3 schema validator that follows discriminators, for LINE's specs.

A plain JSON Schema validator ignores ``discriminator``, so a Flex message without ``altText`` or a
follow event without ``replyToken`` would pass. Here a schema with a discriminator hands the
instance to the schema its mapping names (which usually ``allOf``-includes the base schema again;
reached that way the base is checked on its own).
"""

import functools
import re
from pathlib import Path

import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]


class OpenApiError(AssertionError):
    """The instance does not match the spec; the message lists every problem found."""


def find_spec(name):
    """The path of ``shared/line-openapi/<name>``, found by walking up from the repository root."""
    for folder in (REPO_ROOT, *REPO_ROOT.parents):
        candidate = folder / "shared" / "line-openapi" / name
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"shared/line-openapi/{name} not found above {REPO_ROOT}")


@functools.cache
def load_spec(path):
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _resolve(spec, ref):
    if not ref.startswith("#/"):
        raise ValueError(f"Only local references are supported: {ref}")
    node = spec
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


_TYPES = {
    "object": dict,
    "array": list,
    "string": str,
    "boolean": bool,
    "integer": int,
    "number": (int, float),
}


def _type_ok(expected, value):
    if expected in {"integer", "number"} and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[expected])


def _check(spec, schema, value, where, errors, via_all_of=False):
    if "$ref" in schema:
        _check(spec, _resolve(spec, schema["$ref"]), value, where, errors, via_all_of)
        return
    if value is None:
        if not schema.get("nullable"):
            errors.append(f"{where}: null is not allowed")
        return
    discriminator = schema.get("discriminator")
    if discriminator and not via_all_of and isinstance(value, dict):
        name = discriminator["propertyName"]
        kind = value.get(name)
        mapping = discriminator.get("mapping", {})
        target = mapping.get(kind)
        if target is None:
            errors.append(f"{where}: {name}={kind!r} is not one of {sorted(mapping)}")
            return
        _check(spec, _resolve(spec, target), value, where, errors)
        return
    for part in schema.get("allOf", []):
        _check(spec, part, value, where, errors, via_all_of=True)
    for keyword in ("oneOf", "anyOf"):
        if keyword in schema:
            matches = 0
            for option in schema[keyword]:
                option_errors = []
                _check(spec, option, value, where, option_errors)
                matches += not option_errors
            if not matches or (keyword == "oneOf" and matches > 1):
                errors.append(f"{where}: matches {matches} of the {keyword} options")
    expected = schema.get("type")
    if expected and not _type_ok(expected, value):
        errors.append(f"{where}: expected {expected}, got {type(value).__name__}")
        return
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, str):
        if "minLength" in schema and len(value) < schema["minLength"]:
            errors.append(f"{where}: shorter than {schema['minLength']}")
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            errors.append(f"{where}: longer than {schema['maxLength']}")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            errors.append(f"{where}: does not match {schema['pattern']}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{where}: below {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{where}: above {schema['maximum']}")
    if isinstance(value, list):
        if "minItems" in schema and len(value) < schema["minItems"]:
            errors.append(f"{where}: fewer than {schema['minItems']} items")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            errors.append(f"{where}: more than {schema['maxItems']} items")
        for index, item in enumerate(value):
            if "items" in schema:
                _check(spec, schema["items"], item, f"{where}[{index}]", errors)
    if isinstance(value, dict):
        for name in schema.get("required", []):
            if name not in value:
                errors.append(f"{where}: '{name}' is required")
        properties = schema.get("properties", {})
        for name, item in value.items():
            if name in properties:
                _check(spec, properties[name], item, f"{where}.{name}", errors)
            elif isinstance(schema.get("additionalProperties"), dict):
                _check(spec, schema["additionalProperties"], item, f"{where}.{name}", errors)
            elif schema.get("additionalProperties") is False:
                errors.append(f"{where}: unexpected property '{name}'")


def errors_for(spec_path, schema_name, instance):
    """Every way ``instance`` fails the component schema ``schema_name`` (empty when it is valid)."""
    spec = load_spec(str(spec_path))
    errors = []
    _check(spec, {"$ref": f"#/components/schemas/{schema_name}"}, instance, schema_name, errors)
    return errors


def validate(spec_path, schema_name, instance):
    """Raise OpenApiError unless ``instance`` is a valid ``schema_name`` of the spec."""
    errors = errors_for(spec_path, schema_name, instance)
    if errors:
        raise OpenApiError("; ".join(errors))


def request_schema(spec_path, path, method):
    """The JSON request-body schema of the operation whose path template matches ``path``.

    Returns:
        ``(schema, operation)`` where schema is None for operations without a JSON body.
    """
    spec = load_spec(str(spec_path))
    for template, operations in spec["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in operations:
            operation = operations[method.lower()]
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            return schema, operation
    raise OpenApiError(f"{method.upper()} {path} is not an operation of {Path(spec_path).name}")


def validate_request(spec_path, path, method, body):
    """Raise OpenApiError unless ``body`` is a valid request body for ``method path``."""
    spec = load_spec(str(spec_path))
    schema, _operation = request_schema(spec_path, path, method)
    if schema is None:
        return
    errors = []
    _check(spec, schema, body, f"{method.upper()} {path}", errors)
    if errors:
        raise OpenApiError("; ".join(errors))


def validate_query(spec_path, path, method, params):
    """Raise OpenApiError unless ``params`` (name → value) meet the operation's query parameters:
    every required one present, each value of its pattern and length, no unknown name."""
    spec = load_spec(str(spec_path))
    _schema, operation = request_schema(spec_path, path, method)
    declared = {p["name"]: p for p in operation.get("parameters", []) if p.get("in") == "query"}
    errors = [
        f"{method.upper()} {path}: unknown query parameter {name!r}"
        for name in params
        if name not in declared
    ]
    for name, parameter in declared.items():
        if name not in params:
            if parameter.get("required"):
                errors.append(f"{method.upper()} {path}: query parameter {name!r} is required")
            continue
        _check(spec, parameter.get("schema", {}), params[name], f"{method.upper()} {path}?{name}", errors)
    if errors:
        raise OpenApiError("; ".join(errors))

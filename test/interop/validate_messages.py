"""Validates JSON messages against a JSON Schema (Draft 7) with Python's jsonschema.

Usage: validate_messages.py SCHEMA_PATH DIR
Checks every *.json file of DIR, plus the messages of the JSON object
``{name: message}`` read from stdin (may be empty). Prints one JSON line:
``{"results": {name: [error, ...]}}`` (an empty list means valid).
"""

import json
import pathlib
import sys

import jsonschema

from seed_client import message_errors


def main() -> None:
    schema_path, directory = sys.argv[1:3]
    schema = json.loads(pathlib.Path(schema_path).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)

    messages = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(pathlib.Path(directory).glob("*.json"))}
    extra = sys.stdin.read().strip()
    if extra:
        messages.update(json.loads(extra))

    results = {name: message_errors(schema, message) for name, message in messages.items()}
    print(json.dumps({"results": results}))


if __name__ == "__main__":
    main()

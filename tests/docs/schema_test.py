#!/usr/bin/env python3
"""The JSON the searcher writes is valid against docs/schema/*.json, and the schemas are not
vacuous: documents with a required field removed or a wrong type are rejected.

Environment: INDEXER, SEARCHER, SOURCE_DIR, WORK_DIR. Exit 77 (skipped) without jsonschema.
"""

import glob
import json
import os
import shutil
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("SKIP: python3-jsonschema is not installed")
    sys.exit(77)

INDEXER = os.environ["INDEXER"]
SEARCHER = os.environ["SEARCHER"]
SOURCE_DIR = os.environ["SOURCE_DIR"]
WORK_DIR = os.environ["WORK_DIR"]
SCHEMA_DIR = os.path.join(SOURCE_DIR, "docs", "schema")


def validators():
    """A validator per schema file, its "common.schema.json#/..." references resolved among the
    files (with the `referencing` library where jsonschema has it, else RefResolver)."""
    schemas = {}
    for path in glob.glob(os.path.join(SCHEMA_DIR, "*.schema.json")):
        with open(path, encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        schemas[os.path.basename(path)] = schema
    result = {}
    try:
        import referencing
        import referencing.jsonschema
        registry = referencing.Registry().with_resources(
            (name, referencing.Resource.from_contents(schema, referencing.jsonschema.DRAFT202012))
            for name, schema in schemas.items())
        for name, schema in schemas.items():
            result[name.removesuffix(".schema.json")] = jsonschema.Draft202012Validator(schema, registry=registry)
    except ImportError:
        for name, schema in schemas.items():
            resolver = jsonschema.RefResolver(base_uri=name, referrer=schema, store=dict(schemas))
            result[name.removesuffix(".schema.json")] = jsonschema.Draft202012Validator(schema, resolver=resolver)
    return result


def claim_validator(schemas):
    """Validates one claim line of check --format jsonl against check.schema.json's claim."""
    check = schemas["check"]
    return check.evolve(schema={"$ref": "#/$defs/claim", "$defs": check.schema["$defs"],
                                "$id": check.schema["$id"]})


def searcher(*args):
    command, rest = (args[0], args[1:]) if args[0] in ("quote", "check", "facts", "report") else (None, args)
    argv = [SEARCHER] + ([command] if command else []) + ["--db", DB, *rest]
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT,
                          stdin=subprocess.DEVNULL)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"FAIL: searcher {' '.join(args)} exited {proc.returncode}: {proc.stderr}")
    return proc.stdout


ROOT = os.path.join(WORK_DIR, "schema")
DB = os.path.join(ROOT, "index.db")


def main():
    if os.path.isdir(ROOT):
        shutil.rmtree(ROOT)
    shutil.copytree(os.path.join(SOURCE_DIR, "corpus"), os.path.join(ROOT, "corpus"))
    subprocess.run([INDEXER, "--quiet", "--db", DB, os.path.join(ROOT, "corpus")], check=True)
    claims = os.path.join(ROOT, "claims.txt")
    with open(claims, "w", encoding="utf-8") as f:
        f.write("China–Kazakhstan trade hit $31 billion in 2023\nChina–Kazakhstan trade hit $41 billion in 2023\n"
                "Mongolia exported 5 million tons of coal to Japan\n")
    schemas = validators()
    documents = [
        ("search", searcher("--format", "json", "Middle Corridor")),
        ("search", searcher("--format", "json", "--all", "TITR")),
        ("search", searcher("--format", "json", "--count", "TITR")),
        ("search", searcher("--format", "json", "no-such-word-anywhere")),
        ("quote", searcher("quote", "--format", "json", "China has become the country's largest trade partner")),
        ("quote", searcher("quote", "--format", "json", "annual throughput capacity of 10 million tons by 2030")),
        ("check", searcher("check", "--format", "json", "China–Kazakhstan trade hit $41 billion in 2023")),
        ("check", searcher("report", "--format", "json", claims)),
        ("facts", searcher("facts", "--format", "json", "Middle Corridor")),
    ]
    lines = [("search-jsonl", line) for line in searcher("--format", "jsonl", "corridor").splitlines()]
    lines += [("search-jsonl", line) for line in searcher("--format", "jsonl", "--all", "TITR").splitlines()]
    lines += [("quote", line) for line in searcher("quote", "--format", "jsonl", "China has become").splitlines()]
    failures = 0
    checked = 0
    for name, text in documents + lines:
        document = json.loads(text)
        errors = list(schemas[name].iter_errors(document))
        checked += 1
        for error in errors[:3]:
            failures += 1
            print(f"FAIL: {name}: {error.message} at {'/'.join(map(str, error.absolute_path))}", file=sys.stderr)
    for line in searcher("check", "--format", "jsonl", "trade hit $41 billion in 2023").splitlines():
        document = json.loads(line)
        if document.get("type") == "claim":
            checked += 1
            for error in list(claim_validator(schemas).iter_errors(document))[:3]:
                failures += 1
                print(f"FAIL: check jsonl: {error.message}", file=sys.stderr)
    # The schemas must reject what is wrong, or they check nothing.
    search = json.loads(documents[0][1])
    broken = [dict(search), json.loads(documents[0][1]), json.loads(documents[4][1])]
    del broken[0]["results"]
    broken[1]["results"][0]["start_byte"] = "12"
    broken[2]["verdict"] = "probably"
    for name, document in zip(("search", "search", "quote"), broken):
        checked += 1
        if schemas[name].is_valid(document):
            failures += 1
            print(f"FAIL: {name} accepts a broken document", file=sys.stderr)
    print(f"{checked - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

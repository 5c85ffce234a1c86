#!/usr/bin/env bash
# Set-up step (never run by the tests): fetch Rasa 3.x's own YAML schemas and pykwalify,
# the validator Rasa runs them with, so tests/test_rasa_schema.py can check the shipped
# knowledge base against them offline.
#
# The schemas come from the `rasa` wheel on PyPI (downloaded without its dependencies; its
# Python code is not installed) and are extracted into .faqbot-cache/rasa-<version>/,
# which git ignores. Nothing of Rasa is copied into the repository.
#
# Usage: scripts/fetch_rasa_schemas.sh [PYTHON]   (default: .venv/bin/python)
set -euo pipefail

RASA_VERSION="${RASA_VERSION:-3.6.21}"
PYKWALIFY_VERSION="${PYKWALIFY_VERSION:-1.8.0}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${1:-$ROOT/.venv/bin/python}"
DEST="$ROOT/.faqbot-cache/rasa-$RASA_VERSION"

if ! "$PY" -c 'import pykwalify' 2>/dev/null; then
    "$PY" -m pip install --quiet "pykwalify==$PYKWALIFY_VERSION"
fi
if [ -f "$DEST/VERSION" ]; then
    exit 0
fi

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
"$PY" -m pip download --quiet --no-deps --ignore-requires-python --only-binary=:all: \
    "rasa==$RASA_VERSION" -d "$TMP"

"$PY" - "$TMP" "$DEST" "$RASA_VERSION" <<'PYEOF'
import pathlib
import sys
import zipfile

tmp, dest, version = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]), sys.argv[3]
members = {
    "rasa/shared/nlu/training_data/schemas/nlu.yml": "nlu.yml",
    "rasa/shared/nlu/training_data/schemas/responses.yml": "responses.yml",
    "rasa/shared/utils/schemas/stories.yml": "stories.yml",
    "rasa/shared/utils/schemas/domain.yml": "domain.yml",
    "rasa/shared/utils/pykwalify_extensions.py": "pykwalify_extensions.py",
}
(wheel,) = tmp.glob("rasa-*.whl")
staging = dest.with_name(dest.name + ".partial")
staging.mkdir(parents=True, exist_ok=True)
with zipfile.ZipFile(wheel) as archive:
    for member, name in members.items():
        (staging / name).write_bytes(archive.read(member))
(staging / "VERSION").write_text(version + "\n")
staging.rename(dest)
print(f"Rasa {version} schemas in {dest}")
PYEOF

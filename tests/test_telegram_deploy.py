"""The Docker files: compose services, what the image copies, the example env file."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).parent))

from bot.adapters.telegram.settings import SettingsError, load_settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_runs_the_bot_and_a_private_action_server():
    services = compose()["services"]
    bot, actions = services["bot"], services["actions"]
    assert bot["command"][:2] == ["faqbot", "telegram"]
    endpoints = bot["command"][bot["command"].index("--endpoints") + 1]
    endpoint_url = yaml.safe_load((ROOT / endpoints).read_text())["action_endpoint"]["url"]
    assert endpoint_url.startswith("http://actions:5055/")
    assert "ports" not in actions and "ports" not in bot  # polling needs no inbound port
    assert actions["command"][:5] == ["python", "-m", "rasa_sdk", "--actions", "bot.actions"]
    assert actions["image"] == bot["image"]
    assert bot["depends_on"]["actions"]["condition"] == "service_healthy"
    assert actions["healthcheck"]["test"][0] == "CMD"  # run for real in test_actions_server
    assert ".env" in bot["env_file"]


def test_dockerfile_copies_only_what_exists_and_runs_as_a_user():
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for line in re.findall(r"^COPY (.+)$", text, re.MULTILINE):
        for source in line.split()[:-1]:
            assert (ROOT / source).exists(), source
    assert re.search(r"^USER \w+", text, re.MULTILINE)
    assert '"faqbot", "telegram"' in text
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".env" in ignored and ".venv" in ignored


def test_env_example_is_complete_but_holds_no_token(tmp_path):
    example = ROOT / ".env.example"
    names = set(re.findall(r"^#?\s*(TELEGRAM_[A-Z_]+)=", example.read_text(), re.MULTILINE))
    assert names == {"TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE_URL",
                     "TELEGRAM_WEBHOOK_SECRET", "TELEGRAM_ADMIN_IDS"}
    with pytest.raises(SettingsError, match="not set"):
        load_settings({}, example)


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose missing")
def test_docker_compose_accepts_the_file():
    env = {**os.environ, "FAQBOT_ENV_FILE": ".env.example"}
    done = subprocess.run(["docker-compose", "-f", "docker-compose.yml", "config", "-q"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr

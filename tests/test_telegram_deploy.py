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


def compose(name: str = "docker-compose.yml") -> dict:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


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
        for source in [w for w in line.split()[:-1] if not w.startswith("--")]:
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


def test_the_maintainer_edits_the_knowledge_base_of_the_running_bot():
    bot = compose()["services"]["bot"]
    assert "./intents:/app/intents" in bot["volumes"]
    assert any(v.endswith(":/data") for v in bot["volumes"])
    assert "FAQBOT_UID" in bot["user"]  # run as the owner of ./intents


def test_code_edits_do_not_reinstall_the_dependencies():
    lines = (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines()
    first_install = next(i for i, line in enumerate(lines) if "pip install" in line)
    copy_code = next(i for i, line in enumerate(lines) if line.startswith("COPY bot"))
    assert first_install < copy_code
    assert "requirements" in lines[first_install] or "-r" in lines[first_install + 1]
    assert not any(line.startswith("VOLUME") for line in lines)  # no anonymous volumes


def test_the_action_server_is_checked_often_so_the_bot_starts_at_once():
    check = compose()["services"]["actions"]["healthcheck"]
    assert int(check["interval"].rstrip("s")) <= 5
    assert "volumes" not in compose()["services"]["actions"]


def test_replicas_share_redis_behind_one_proxy():
    services = compose("docker-compose.replicas.yml")["services"]
    replicas = {name: s for name, s in services.items() if name.startswith("bot-")}
    assert len(replicas) >= 2
    names = set()
    for service in replicas.values():
        command = service["command"]
        assert command[:2] == ["faqbot", "telegram"] and "--webhook-url" in command
        assert command[command.index("--state") + 1].startswith("redis://redis:")
        names.add(command[command.index("--replica") + 1])
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
    assert len(names) == len(replicas)  # each its own stable name
    assert "bot" not in services  # no poller: it would remove the webhook
    proxy = (ROOT / "deploy" / "nginx-replicas.conf").read_text(encoding="utf-8")
    for name in replicas:
        assert f"server {name}:8443" in proxy
    assert any("deploy/nginx-replicas.conf" in v for v in services["proxy"]["volumes"])


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose missing")
@pytest.mark.parametrize("name", ["docker-compose.yml", "docker-compose.replicas.yml"])
def test_docker_compose_accepts_the_file(name):
    env = {**os.environ, "FAQBOT_ENV_FILE": ".env.example"}
    done = subprocess.run(["docker-compose", "-f", name, "config", "-q"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr

"""The endpoints file: which runner, and clear errors for bad values."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.action_client import build_action_runner
from bot.action_client.endpoints import ActionEndpoint, EndpointsError, load_endpoints
from bot.action_client.http import HttpActionRunner
from bot.action_client.inprocess import InProcessActionRunner

REPO = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "endpoints.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_shipped_endpoint_files() -> None:
    assert load_endpoints(REPO / "endpoints.yml") == ActionEndpoint(
        url="http://localhost:5055/webhook")
    docker = load_endpoints(REPO / "endpoints.docker.yml")
    assert docker.url == "http://actions:5055/webhook" and docker.timeout == 5


def test_runner_is_chosen_by_the_file(tmp_path: Path) -> None:
    assert isinstance(build_action_runner(None), InProcessActionRunner)
    assert isinstance(build_action_runner(REPO / "endpoints.yml"), HttpActionRunner)
    http = build_action_runner(write(tmp_path, 'action_endpoint:\n  url: "http://h:1/webhook"\n'))
    assert isinstance(http, HttpActionRunner) and http.url == "http://h:1/webhook"


def test_shipped_files_use_only_keys_rasa_reads() -> None:
    """Rasa Open Source 3.x reads ``url`` (and ignores extra keys), not ``actions_module``."""
    import yaml

    for name in ("endpoints.yml", "endpoints.docker.yml"):
        section = yaml.safe_load((REPO / name).read_text(encoding="utf-8"))["action_endpoint"]
        assert "url" in section and "actions_module" not in section, name


def test_no_action_endpoint_section_means_in_process(tmp_path: Path) -> None:
    path = write(tmp_path, "tracker_store:\n  type: sql\n")
    assert load_endpoints(path) == ActionEndpoint()
    assert load_endpoints(write(tmp_path, "")) == ActionEndpoint()


def test_environment_variables_are_expanded(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("ACTIONS_HOST", "actions.internal")
    monkeypatch.setenv("ACTIONS_TOKEN", "t0k")
    path = write(tmp_path, 'action_endpoint:\n  url: "http://${ACTIONS_HOST}:5055/webhook"\n'
                           '  token: "${ACTIONS_TOKEN}"\n  headers: {X-Team: faq}\n')
    endpoint = load_endpoints(path)
    assert endpoint.url == "http://actions.internal:5055/webhook"
    assert endpoint.token == "t0k" and endpoint.headers == (("X-Team", "faq"),)
    monkeypatch.delenv("ACTIONS_HOST")
    with pytest.raises(EndpointsError, match="ACTIONS_HOST is not set"):
        load_endpoints(path)


def test_actions_module_wins_over_url_as_in_rasa(tmp_path: Path, caplog) -> None:
    path = write(tmp_path, "action_endpoint:\n  url: http://x/webhook\n"
                           "  actions_module: my.actions\n  retries: 3\n")
    with caplog.at_level(logging.WARNING):
        endpoint = load_endpoints(path)
    assert endpoint.url is None and endpoint.actions_module == "my.actions"
    assert "actions_module wins" in caplog.text and "retries: ignored" in caplog.text


@pytest.mark.parametrize(("text", "message"), [
    ("[1, 2]", "top level must be a mapping"),
    ("action_endpoint: http://x", "must be a mapping with 'url'"),
    ("action_endpoint:\n  url: 5055\n", "expected a URL"),
    ("action_endpoint:\n  url: localhost:5055/webhook\n", r"expected http\(s\)://"),
    ("action_endpoint:\n  url: http://x/w\n  timeout: 0\n", "timeout: must be more than 0"),
    ("action_endpoint:\n  url: http://x/w\n  timeout: fast\n", "timeout: expected a number"),
    ("action_endpoint:\n  url: http://x/w\n  cooldown: true\n", "cooldown: expected a number"),
    ("action_endpoint:\n  actions_module: 'not a module!'\n", "expected a Python module"),
    ("action_endpoint:\n  url: http://x/w\n  headers: [a]\n", "headers: must be a mapping"),
    ("action_endpoint:\n  url: [unclosed\n", "invalid YAML"),
])
def test_bad_values_name_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(EndpointsError, match=message) as info:
        load_endpoints(write(tmp_path, text))
    assert str(tmp_path / "endpoints.yml") in str(info.value)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(EndpointsError, match="no such endpoints file"):
        load_endpoints(tmp_path / "missing.yml")
    (tmp_path / "binary.yml").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(EndpointsError, match="cannot read"):
        load_endpoints(tmp_path / "binary.yml")
    with pytest.raises(EndpointsError, match="cannot read"):
        load_endpoints(tmp_path)

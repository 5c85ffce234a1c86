"""``faqbot telegram`` as a real subprocess: set-up errors, secrets, signals, exit codes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from telegram_kb import write_kb  # noqa: E402
from telegram_server import TEST_TOKEN, FakeBotApi, Updates  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OTHER_TOKEN = "987654321:ZZZ-other-token_abcdefghijklmnopqrs"


def bot_env(data_dir: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env["PYTHONUNBUFFERED"] = "1"
    env["FAQBOT_DATA_DIR"] = str(data_dir)  # the unanswered-questions log goes there
    env.update(values)
    return env


def faqbot(*args: str, env: dict[str, str], cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def run_to_end(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=env,
        capture_output=True, text=True, timeout=60,
    )


@pytest.fixture
def kb(tmp_path):
    return write_kb(tmp_path)


def test_missing_token_is_a_clear_error(tmp_path, kb):
    done = run_to_end("telegram", "--intents", str(kb), env=bot_env(tmp_path), cwd=tmp_path)
    assert done.returncode == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in done.stderr
    assert "Traceback" not in done.stderr


def test_malformed_token_is_rejected_without_echoing_it(tmp_path, kb):
    bad = "12345:this is not a token"
    done = run_to_end("telegram", "--intents", str(kb),
                      env=bot_env(tmp_path, TELEGRAM_BOT_TOKEN=bad), cwd=tmp_path)
    assert done.returncode == 2
    assert "malformed" in done.stderr
    assert bad not in done.stderr + done.stdout and "not a token" not in done.stderr


def test_a_token_the_api_refuses_is_reported_without_the_token(tmp_path, kb):
    with FakeBotApi() as api:
        done = run_to_end("-v", "telegram", "--intents", str(kb), env=bot_env(tmp_path,
            TELEGRAM_BOT_TOKEN=OTHER_TOKEN, TELEGRAM_API_BASE_URL=api.base_url), cwd=tmp_path)
    assert done.returncode == 2
    assert "rejected" in done.stderr
    secret = OTHER_TOKEN.split(":")[1]
    assert secret not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_bad_env_file_line_names_the_line_not_its_content(tmp_path, kb):
    env_file = tmp_path / "bot.env"
    env_file.write_text(f"# settings\nTELEGRAM_BOT_TOKEN={TEST_TOKEN}\nthis line {TEST_TOKEN}\n")
    done = run_to_end("telegram", "--intents", str(kb), "--env-file", str(env_file),
                      env=bot_env(tmp_path), cwd=tmp_path)
    assert done.returncode == 2
    assert f"{env_file}:3: expected KEY=value" in done.stderr
    assert TEST_TOKEN not in done.stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_serves_from_a_dotenv_file_and_exits_0_on_signal_without_leaking_the_token(
        tmp_path, kb, sig):
    with FakeBotApi() as api:
        # The token comes from ./.env (read by us); the base URL from the environment.
        (tmp_path / ".env").write_text(f'export TELEGRAM_BOT_TOKEN="{TEST_TOKEN}"\n')
        proc = faqbot("-v", "telegram", "--intents", str(kb), "--poll-timeout", "1",
                      env=bot_env(tmp_path, TELEGRAM_API_BASE_URL=api.base_url), cwd=tmp_path)
        try:
            api.wait_for("getUpdates", timeout=30)
            mark = api.mark()
            api.push(Updates().message(7, "who founded mistral"))
            (reply,) = api.wait_for("sendMessage", since=mark, timeout=15)
            assert "Arthur Mensch" in reply.params["text"]
            started = time.monotonic()
            proc.send_signal(sig)
            out, err = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 0, err[-2000:]
    assert time.monotonic() - started < 10
    assert TEST_TOKEN not in out + err
    assert TEST_TOKEN.split(":")[1] not in out + err
    # httpx logged every request URL at --verbose, with the token masked.
    assert "<redacted>/sendMessage" in err
    assert "Traceback" not in err


def test_webhook_url_must_be_absolute(tmp_path, kb):
    done = run_to_end("telegram", "--intents", str(kb), "--webhook-url", "not-a-url",
                      env=bot_env(tmp_path, TELEGRAM_BOT_TOKEN=TEST_TOKEN), cwd=tmp_path)
    assert done.returncode == 2
    assert "--webhook-url must be an absolute URL" in done.stderr


def test_a_502_from_get_me_at_start_up_is_retried(tmp_path, kb):
    with FakeBotApi() as api:
        api.fail_next("getMe", 502, "Bad Gateway")
        proc = faqbot("telegram", "--intents", str(kb), "--poll-timeout", "1",
                      env=bot_env(tmp_path, TELEGRAM_BOT_TOKEN=TEST_TOKEN,
                                  TELEGRAM_API_BASE_URL=api.base_url), cwd=tmp_path)
        try:
            api.wait_for("getUpdates", timeout=30)
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 0, err[-2000:]
    assert [c.status for c in api.calls if c.method == "getMe"] == [502, 200]
    assert "getMe failed" in err


def test_a_second_poller_on_the_same_token_exits_with_a_clear_message(tmp_path, kb):
    with FakeBotApi() as api:
        api.fail_next("getUpdates", 409, "Conflict: terminated by other getUpdates request; "
                      "make sure that only one bot instance is running")
        done = run_to_end("telegram", "--intents", str(kb), "--poll-timeout", "1",
                          env=bot_env(tmp_path, TELEGRAM_BOT_TOKEN=TEST_TOKEN,
                                      TELEGRAM_API_BASE_URL=api.base_url), cwd=tmp_path)
    assert done.returncode == 2
    assert "another process is already polling" in done.stderr
    assert "409 Conflict" in done.stderr and "--webhook-url" in done.stderr
    assert "Traceback" not in done.stderr

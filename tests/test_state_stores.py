"""Conversation state stores (memory, SQLite, Redis) and the update ledger."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from redis_server import redis_server
from telegram_kb import write_kb

from bot.config import load_config
from bot.dialog.engine import Engine, build_brain
from bot.dialog.state import ConversationState, InMemoryStateStore
from bot.kb.loader import load_knowledge_base
from bot.state import StateSpecError, open_backend
from bot.state.deferred import DeferredStateStore
from bot.state.ledger import DONE, NEW, PENDING, MemoryLedger
from bot.state.sqlite import SqliteDatabase, SqliteLedger, SqliteStateStore

ROOT = Path(__file__).resolve().parents[1]
STATE = ConversationState(last_intent="faq/funding", last_text="how much was raised",
                          suggestions=("a", "b"), slots={"investor": "Cisco", "n": 3},
                          turns=4, choices=('/ask{"investor":"Cisco"}',),
                          recent=("greet", "faq/funding"))


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", "sqlite", "redis"])
def backend(request, tmp_path):
    if request.param == "redis":
        with redis_server(tmp_path) as url:
            store = open_backend(url)
            yield store
            store.close()
        return
    spec = "memory" if request.param == "memory" else f"sqlite:{tmp_path / 's.sqlite3'}"
    store = open_backend(spec)
    yield store
    store.close()


def test_every_store_keeps_state_per_sender_whole(backend):
    assert backend.states.get("alice") == ConversationState()
    backend.states.put("alice", STATE)
    backend.states.put("bob", ConversationState(turns=1))
    got = backend.states.get("alice")
    assert got == ConversationState(**{**STATE.__dict__, "slots": got.slots})
    assert dict(got.slots) == {"investor": "Cisco", "n": 3}
    assert backend.states.get("bob").turns == 1


def test_every_ledger_accepts_once_and_replays_what_is_unfinished(backend):
    ledger = backend.updates
    assert ledger.add(5, {"update_id": 5, "message": {"text": "a"}}, "poller") == NEW
    assert ledger.add(6, {"update_id": 6}, "poller") == NEW
    assert ledger.add(7, {"update_id": 7}, "replica-b") == NEW
    assert ledger.add(5, {"update_id": 5}, "poller") == PENDING
    ledger.finish(5)
    assert ledger.add(5, {"update_id": 5}, "poller") == DONE
    assert ledger.unfinished("poller") == [{"update_id": 6}]
    assert ledger.unfinished("replica-b") == [{"update_id": 7}]


@pytest.mark.parametrize("kind", ["memory", "sqlite"])
def test_an_idle_conversation_expires(kind, tmp_path):
    clock = Clock()
    if kind == "memory":
        store = InMemoryStateStore(idle_seconds=1800, clock=clock)
    else:
        store = SqliteStateStore(SqliteDatabase(tmp_path / "s.sqlite3"), 1800, clock)
    store.put("ann", STATE)
    clock.now += 1799
    assert store.get("ann").last_intent == "faq/funding"
    store.put("ann", STATE)  # a turn makes it fresh again
    clock.now += 1801
    assert store.get("ann") == ConversationState()


def test_no_expiry_with_zero_idle_time(tmp_path):
    clock = Clock()
    store = InMemoryStateStore(idle_seconds=0, clock=clock)
    store.put("ann", STATE)
    clock.now += 10 ** 7
    assert store.get("ann").turns == 4


def test_tell_me_more_after_the_idle_time_asks_more_about_what(tmp_path):
    clock = Clock()
    kb = load_knowledge_base(write_kb(tmp_path))
    store = InMemoryStateStore(idle_seconds=30 * 60, clock=clock)
    engine = Engine(build_brain(kb), load_config(None), store=store)
    engine.handle("ann", "how much money has mistral raised")
    clock.now += 5 * 60
    assert engine.handle("ann", "tell me more").parse.intent.name == "fact_revenue"
    clock.now += 31 * 60
    turn = engine.handle("ann", "tell me more")
    assert turn.decision == "nothing_more"
    assert "More about what" in turn.responses[0].text


def test_sqlite_state_and_ledger_survive_reopening(tmp_path):
    path = tmp_path / "state.sqlite3"
    first = open_backend(f"sqlite:{path}")
    first.states.put("ann", STATE)
    first.updates.add(9, {"update_id": 9}, "poller")
    first.close()
    second = open_backend(f"sqlite:{path}")
    assert second.states.get("ann").recent == ("greet", "faq/funding")
    assert second.updates.unfinished("poller") == [{"update_id": 9}]
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    second.close()


def test_an_unreadable_stored_state_starts_afresh(tmp_path):
    database = SqliteDatabase(tmp_path / "s.sqlite3")
    store = SqliteStateStore(database)
    store.put("ann", STATE)
    database.db.execute("UPDATE conversations SET state = 'not json{'")
    assert store.get("ann") == ConversationState()


def test_finished_ids_are_forgotten_after_a_day(tmp_path):
    clock = Clock()
    for ledger in (MemoryLedger(keep_seconds=10, clock=clock),
                   SqliteLedger(SqliteDatabase(tmp_path / "s.sqlite3"), 10, clock)):
        for update_id in range(1, 10_002):
            ledger.add(update_id, {}, "p")
            ledger.finish(update_id)
            if update_id == 1:
                clock.now += 20
        assert ledger.add(1, {}, "p") == NEW  # pruned: older than keep_seconds
        assert ledger.add(2, {}, "p") == DONE


def test_redis_state_expires_by_ttl(tmp_path):
    with redis_server(tmp_path) as url:
        backend = open_backend(url, idle_seconds=90)
        backend.states.put("ann", STATE)
        ttl = backend.states.client.ttl("faqbot:state:ann")
        assert 80 <= ttl <= 90
        backend.close()


def test_deferred_writes_are_seen_at_once_and_stored_on_commit():
    store = InMemoryStateStore()
    deferred = DeferredStateStore(store)
    deferred.put("ann", STATE)
    assert deferred.get("ann") == STATE and store.get("ann") == ConversationState()
    deferred.commit("ann")
    assert store.get("ann") == STATE
    deferred.commit("nobody")  # nothing pending: nothing happens


def test_bad_state_specs_say_what_is_expected(tmp_path):
    with pytest.raises(StateSpecError, match="expected memory, sqlite"):
        open_backend("postgres://x")
    (tmp_path / "file").write_text("x")
    with pytest.raises(StateSpecError, match="cannot open the state store"):
        open_backend(f"sqlite:{tmp_path / 'file' / 'sub' / 's.sqlite3'}")
    with pytest.raises(StateSpecError, match="cannot reach Redis"):
        open_backend("redis://127.0.0.1:1/0")


def console(*args: str, lines: list[dict], kb: Path) -> list[dict]:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--json", "--intents", str(kb), "--no-log",
         *args], input="".join(json.dumps(line) + "\n" for line in lines),
        capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_console_context_survives_a_restart_with_state_sqlite(tmp_path):
    kb = write_kb(tmp_path)
    spec = f"sqlite:{tmp_path / 'console.sqlite3'}"
    question = {"sender": "ann", "text": "how much money has mistral raised"}
    more = {"sender": "ann", "text": "tell me more"}
    console("--state", spec, lines=[question], kb=kb)
    (reply,) = console("--state", spec, lines=[more], kb=kb)
    assert reply["intent"]["name"] == "fact_revenue"
    (forgetful,) = console(lines=[more], kb=kb)  # the console's default is memory
    assert "More about what" in forgetful["responses"][0]["text"]


def test_console_refuses_a_bad_state_option(tmp_path):
    done = subprocess.run([sys.executable, "-m", "bot", "console", "--state", "mysql:x"],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 2
    assert "--state 'mysql:x': expected memory, sqlite" in done.stderr
    assert "Traceback" not in done.stderr


def test_expired_conversations_are_purged_from_sqlite(tmp_path):
    clock = Clock()
    database = SqliteDatabase(tmp_path / "s.sqlite3")
    store = SqliteStateStore(database, 60, clock)
    store.put("old", STATE)
    clock.now += 120
    store.put("new", STATE)
    assert store.purge_expired() == 1
    assert [r[0] for r in database.db.execute("SELECT sender FROM conversations")] == ["new"]

import threading

from bot.dialog.state import ConversationState, InMemoryStateStore


def test_unknown_sender_gets_a_fresh_state():
    state = InMemoryStateStore().get("nobody")
    assert state == ConversationState()
    assert state.last_intent is None and state.turns == 0 and state.choices == ()


def test_states_are_kept_per_sender():
    store = InMemoryStateStore()
    store.put("alice", ConversationState(last_intent="a", turns=3))
    store.put("bob", ConversationState(last_intent="b"))
    assert store.get("alice").last_intent == "a"
    assert store.get("alice").turns == 3
    assert store.get("bob").last_intent == "b"


def test_oldest_sender_is_forgotten_when_full():
    store = InMemoryStateStore(max_senders=2)
    store.put("a", ConversationState(turns=1))
    store.put("b", ConversationState(turns=2))
    store.put("a", ConversationState(turns=3))  # a is now the most recent
    store.put("c", ConversationState(turns=4))
    assert store.get("b") == ConversationState()
    assert store.get("a").turns == 3
    assert store.get("c").turns == 4


def test_concurrent_puts_do_not_lose_the_bound():
    store = InMemoryStateStore(max_senders=50)

    def work(offset: int) -> None:
        for i in range(200):
            store.put(f"s{offset}-{i}", ConversationState(turns=i))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    kept = [store.get(f"s{n}-{i}") for n in range(4) for i in range(200)]
    assert sum(1 for state in kept if state != ConversationState()) == 50

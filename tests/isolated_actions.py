"""Run custom actions in a child Python that cannot import the rest of faqbot.

A Rasa action server has rasa_sdk and little else; the child blocks faqbot's own layers and
dependencies, registers an actions package with rasa_sdk's executor, runs one action and
prints the reply and the ``bot`` modules it loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

# Modules a Rasa action server does not have: the rest of faqbot and its own dependencies.
BLOCKED = ("bot.nlu", "bot.kb", "bot.dialog", "bot.adapters", "bot.action_client",
           "bot.compiler", "bot.commands", "bot.config", "rapidfuzz", "yaml", "numpy",
           "scipy", "spellchecker", "telegram")

# Imports the actions with BLOCKED unimportable, runs one through rasa_sdk's executor, and
# prints the reply and the bot modules that were loaded.
CHILD = textwrap.dedent("""
    import asyncio, importlib.abc, json, sys

    BLOCKED = {blocked!r}

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if any(name == b or name.startswith(b + ".") for b in BLOCKED):
                raise ModuleNotFoundError(f"blocked: {{name}}", name=name)
            return None

    sys.meta_path.insert(0, Block())
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package({package!r})
    call = {{
        "next_action": "action_check_investor", "sender_id": "u1", "version": "3.6.2",
        "domain": {{}},
        "tracker": {{"sender_id": "u1", "slots": {{}}, "events": [], "paused": False,
                     "latest_message": {{"text": "did nvidea invest in mistral",
                                         "intent": {{"name": "ask_invested"}},
                                         "entities": []}},
                     "latest_action_name": "action_listen", "active_loop": {{}}}},
    }}
    result = asyncio.run(executor.run(call))
    result = result if isinstance(result, dict) else result.model_dump()
    loaded = sorted(m for m in sys.modules if m == "bot" or m.startswith("bot."))
    print(json.dumps({{"responses": result["responses"], "events": result["events"],
                      "loaded": loaded}}))
""")


def run_isolated(package: str, cwd: Path, blocked: tuple[str, ...] = BLOCKED) -> dict:
    """Run ``action_check_investor`` of ``package`` from ``cwd`` with ``blocked`` missing."""
    code = CHILD.format(blocked=blocked, package=package)
    done = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])

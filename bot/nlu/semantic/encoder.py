"""Sentence embeddings with onnxruntime and tokenizers, both imported only when used.

:class:`Encoder` turns texts into unit vectors (mean of the last hidden states over the
real tokens, then L2-normalised, as sentence-transformers does for all-MiniLM-L6-v2), so
the dot product of two embeddings is their cosine similarity.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.nlu.semantic.model import ModelError, verify

logger = logging.getLogger(__name__)

MAX_TOKENS = 128
BATCH_SIZE = 64
RUNTIME_PACKAGES = ("onnxruntime", "tokenizers")


class RuntimeMissingError(ModelError):
    """onnxruntime or tokenizers is not installed (the ``semantic`` extra)."""


def missing_packages() -> list[str]:
    """Return the runtime packages that are not installed (without importing them)."""
    return [name for name in RUNTIME_PACKAGES if importlib.util.find_spec(name) is None]


class Encoder:
    """A loaded sentence-embedding model.

    Args:
        directory: The model directory (:func:`bot.nlu.semantic.model.model_dir` when
            None); its files are checked against the recorded hashes first.
        threads: onnxruntime's intra-op threads (0: its own choice).

    Raises:
        RuntimeMissingError: When onnxruntime or tokenizers is missing.
        ModelError: When the model is missing or fails its hash check.
    """

    def __init__(self, directory: Path | None = None, threads: int = 0) -> None:
        missing = missing_packages()
        if missing:
            raise RuntimeMissingError(
                f"{' and '.join(missing)} not installed: install the extra with "
                "`pip install -e '.[semantic]'` (or `make semantic`)"
            )
        paths = verify(directory)
        import onnxruntime
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(paths["tokenizer.json"]))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.no_padding()
        self._tokenizer = tokenizer
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        # Do not keep cores busy between messages: other processes share them.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        options.log_severity_level = 3
        self._session = onnxruntime.InferenceSession(
            str(paths["model.onnx"]), options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self.dimension = int(self._session.get_outputs()[0].shape[-1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return one unit-length float32 embedding per text, in order.

        Texts are tokenised, sorted by length and run in batches padded to their longest
        member, so a long text does not slow down the short ones.
        """
        result = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return result
        encodings = self._tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start : start + BATCH_SIZE]
            width = max(len(encodings[i].ids) for i in batch)
            ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=np.int64)
            for row, index in enumerate(batch):
                tokens = encodings[index].ids
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1
            result[batch] = self._pool(ids, mask)
        return result

    def _pool(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)

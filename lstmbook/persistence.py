"""Saving and loading forecasters: versioned, atomic, and checked.

A saved forecaster is a folder::

    forecaster.json          settings, statistics, history tail, and the
                             name of the models folder below
    models-0001/             one Keras file per seed: model_0.keras, ...

A save writes the models into a *new* folder, then writes the json beside
its final name and renames it over ``forecaster.json`` (one atomic step on
every operating system). Until that rename, ``forecaster.json`` still names
the old models folder, which is left untouched; after it, the new one. So
a save interrupted at any point leaves either the old forecaster or the
new one loadable, never a mixture. Model folders no json names any more
(an old save's, or a crashed save's) are removed after the rename.

Loading checks everything it reads: the format version, the class, that
each file exists, parses, and lies inside the folder, and names the file
in its error when one is missing or damaged.

Chapter: "Your own data".
"""

from __future__ import annotations

import json
import os
import re
import shutil
import uuid
from pathlib import Path

import keras
import numpy as np
import pandas as pd

__all__ = ["FORMAT", "save", "load", "tail_state", "tail_restore"]

#: The version of the folder layout this lstmbook writes and reads.
FORMAT = 2
_MODELS_DIR = re.compile(r"^models-([0-9]{4,})$")
_MODEL_FILE = re.compile(r"^model_[0-9]+\.keras$")
_KEYS = ("format", "class", "settings", "floatx", "models", "state")


def tail_state(values, index, keep: int) -> dict:
    """The last ``keep`` rows of a history and their dates, as JSON data.

    What a forecast from the end of the training data needs: the values,
    and (for dated data) the dates with their frequency.
    """
    index = index[-keep:] if index is not None else None
    dated = isinstance(index, pd.DatetimeIndex)
    values = np.asarray(values, dtype="float64")[-keep:]
    # JSON has no NaN: a series that starts late is stored with nulls
    return {"values": np.where(np.isnan(values), None, values).tolist(),
            "dates": [d.isoformat() for d in index] if dated else None,
            "freq": (index.freqstr or pd.infer_freq(index)) if dated
            else None,
            "index_name": index.name if dated else None}


def tail_restore(state: dict):
    """``(values, index)`` from :func:`tail_state`'s output."""
    values = np.array(state["values"], dtype="float64")
    index = (pd.DatetimeIndex(state["dates"], freq=state["freq"],
                              name=state["index_name"])
             if state["dates"] else None)
    return values, index


def _folder(path) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(
            f"path must be a folder name (str or pathlib.Path), got "
            f"{type(path).__name__}."
        )
    return Path(path)


def _json_text(forecaster, models_dir, names) -> str:
    settings = forecaster.get_params()
    if callable(settings.get("architecture")):
        raise ValueError(
            "a forecaster with a custom architecture function cannot be "
            "saved (its code is not data); use a named architecture, or "
            "save the Keras models yourself (forecaster.models_[k].save)."
        )
    settings["seeds"] = list(settings["seeds"])
    state = {
        "format": FORMAT,
        "class": type(forecaster).__name__,
        "settings": settings,
        "floatx": forecaster.ensemble_.dtype(),
        "models": {"folder": models_dir, "files": names},
        "state": forecaster._state(),
    }
    try:
        return json.dumps(state, indent=2, allow_nan=False)
    except (TypeError, ValueError) as err:
        raise TypeError(
            f"a setting of this forecaster cannot be written as JSON "
            f"({err}); use plain numbers and strings (e.g. string column "
            "names)."
        ) from None


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename."""
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.partial")
    try:
        with open(partial, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def save(forecaster, path) -> Path:
    """Save a fitted forecaster in the folder ``path`` (see module doc)."""
    folder = _folder(path)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{folder} exists and is not a folder.")
    folder.mkdir(parents=True, exist_ok=True)
    models_dir = _next_models_dir(folder)
    partial = folder / f".{models_dir}.partial"
    names = [f"model_{k}.keras" for k in range(len(forecaster.models_))]
    text = _json_text(forecaster, models_dir, names)  # fails before writing
    try:
        partial.mkdir()
        for name, model in zip(names, forecaster.models_):
            model.save(partial / name)
        os.replace(partial, folder / models_dir)
        _write_atomic(folder / "forecaster.json", text)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        if _named_models_dir(folder) != models_dir:
            shutil.rmtree(folder / models_dir, ignore_errors=True)
        raise
    _remove_stale(folder, keep=models_dir)
    return folder


def _next_models_dir(folder: Path) -> str:
    """``models-0001``, or one number past any models folder already there.

    Numbered, not random, so that a save's layout is the same every run.
    """
    numbers = [int(m.group(1)) for p in folder.iterdir()
               if (m := _MODELS_DIR.match(p.name.strip(".").removesuffix(
                   ".partial")))]
    return f"models-{max(numbers, default=0) + 1:04d}"


def _named_models_dir(folder: Path):
    """The models folder ``forecaster.json`` names now, if readable."""
    try:
        return json.loads((folder / "forecaster.json").read_text())[
            "models"]["folder"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remove_stale(folder: Path, keep: str) -> None:
    """Remove model folders and files that no save names any more."""
    for entry in folder.iterdir():
        stale_dir = entry.is_dir() and entry.name != keep and (
            _MODELS_DIR.match(entry.name) or (
                entry.name.startswith(".models-")
                and entry.name.endswith(".partial")))
        old_layout = entry.is_file() and _MODEL_FILE.match(entry.name)
        if stale_dir:
            shutil.rmtree(entry, ignore_errors=True)
        elif old_layout:  # format 1 kept its models beside the json
            entry.unlink(missing_ok=True)


def _read_state(folder: Path) -> dict:
    meta = folder / "forecaster.json"
    if not folder.is_dir():
        raise ValueError(
            f"{folder} is not a folder; pass the folder that "
            "forecaster.save(path) wrote."
        )
    if not meta.is_file():
        raise ValueError(
            f"{folder} has no forecaster.json; pass the folder that "
            "forecaster.save(path) wrote."
        )
    try:
        state = json.loads(meta.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        raise ValueError(
            f"{meta} is damaged (not valid JSON: {err}). Save the "
            "forecaster again."
        ) from None
    if not isinstance(state, dict):
        raise ValueError(f"{meta} is damaged: it does not hold an object.")
    if state.get("format") != FORMAT:
        raise ValueError(
            f"{meta} has format {state.get('format')!r}; this version of "
            f"lstmbook reads format {FORMAT}. Fit and save the forecaster "
            "again with this version."
        )
    missing = [k for k in _KEYS if k not in state]
    if missing:
        raise ValueError(f"{meta} is damaged: it lacks {missing}.")
    return state


def _model_paths(folder: Path, models: dict) -> list:
    """The saved model files, each checked to lie inside ``folder``."""
    meta = folder / "forecaster.json"
    try:
        subdir, files = models["folder"], list(models["files"])
    except (KeyError, TypeError):
        raise ValueError(f"{meta} is damaged: its 'models' entry is not "
                         "{'folder': ..., 'files': [...]}.") from None
    if not (isinstance(subdir, str) and _MODELS_DIR.match(subdir)) or not \
            all(isinstance(f, str) and _MODEL_FILE.match(f) for f in files):
        raise ValueError(
            f"{meta} names model files outside the forecaster's folder "
            f"({subdir!r}, {files!r}); refusing to read them."
        )
    paths = [folder / subdir / name for name in files]
    for path in paths:
        if not path.is_file():
            raise ValueError(
                f"{path} is missing; the saved forecaster is incomplete. "
                "Save it again."
            )
    return paths


def _load_model(path: Path):
    try:
        return keras.models.load_model(path)
    except Exception as err:  # Keras raises many kinds for a bad file
        raise ValueError(
            f"{path} could not be read as a Keras model "
            f"({type(err).__name__}: {err}); the file is damaged or "
            "incomplete. Save the forecaster again."
        ) from None


def load(cls, path):
    """Load a forecaster of class ``cls`` saved with :func:`save`."""
    folder = _folder(path)
    state = _read_state(folder)
    meta = folder / "forecaster.json"
    if state["class"] != cls.__name__:
        raise ValueError(
            f"{meta} holds a {state['class']}; load it with "
            f"lstmbook.{state['class']}.load(path)."
        )
    paths = _model_paths(folder, state["models"])
    try:
        forecaster = cls(**state["settings"])
    except TypeError as err:
        raise ValueError(f"{meta} has unusable settings: {err}") from None
    if len(paths) != len(forecaster.seeds):
        raise ValueError(
            f"{meta} names {len(paths)} model files for "
            f"{len(forecaster.seeds)} seeds; the save is damaged."
        )
    forecaster.ensemble_.models = [_load_model(p) for p in paths]
    forecaster.ensemble_.histories = None
    try:
        forecaster._restore(state["state"])
    except (KeyError, TypeError, IndexError) as err:
        raise ValueError(
            f"{meta} is damaged: its 'state' entry is incomplete "
            f"({type(err).__name__}: {err})."
        ) from None
    return forecaster

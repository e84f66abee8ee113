"""The Settings page: every parameter of ``study.toml`` as a form field, grouped by section.

Values are checked the way ``bibliomap study --config`` checks them: the form becomes a
study.toml that ``load_config`` reads back, so a value the CLI would refuse is refused here.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from bibliomap.app.workspace import OUTPUT
from bibliomap.i18n import LANGUAGES
from bibliomap.report.config import MAP_COUNTING, PARAMETERS, ConfigError, defaults, load_config, to_toml

#: Parameters whose value is one of a few words (from the comments in report/config.py).
CHOICES = {
    ("study", "lang"): list(LANGUAGES),
    ("study", "engine"): ["inprocess", "spark"],
    ("terms", "counting"): ["binary", "full"],
    ("maps", "counting"): list(MAP_COUNTING),
    ("maps", "normalization"): ["association", "fractionalization", "linlog", "none"],
}
#: Managed by the app (the term verification page's thesauri), not typed in.
MANAGED = {("terms", "thesaurus"), ("maps", "thesaurus")}


def fields(cfg: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One dict per parameter: section, key, kind (bool, int, float, str, list, choice), value, comment."""
    out = []
    for section, key, default, comment in PARAMETERS:
        value = cfg[section][key]
        kind = ("choice" if (section, key) in CHOICES else "bool" if isinstance(default, bool) else
                "int" if isinstance(default, int) else "float" if isinstance(default, float) else
                "list" if isinstance(default, list) else "str")
        shown = ", ".join(str(v) for v in value) if kind == "list" else value
        out.append({"section": section, "key": key, "kind": kind, "value": shown, "comment": comment,
                    "choices": CHOICES.get((section, key), []), "managed": (section, key) in MANAGED})
    return out


def term_counts(folder: Path) -> tuple[dict[int, int], str]:
    """Histogram of the last run's candidate terms by occurrences (empty before a run), and the
    counting method (binary or full) those occurrences were counted with."""
    import tomllib

    import pandas as pd

    path = folder / OUTPUT / "tables" / "terms.csv"
    if not path.exists():
        return {}, ""
    occ = pd.read_csv(path, usecols=["occurrences"])["occurrences"]
    try:
        counting = tomllib.loads((folder / OUTPUT / "config.toml").read_text(encoding="utf-8"))["terms"]["counting"]
    except (OSError, KeyError, ValueError):
        counting = "?"
    return {int(k): int(v) for k, v in occ.value_counts().sort_index().items()}, counting


def from_form(form: Any, current: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The configuration the form describes; raises ConfigError naming the field when a value is wrong."""
    cfg = defaults()
    for section, key, default, _ in PARAMETERS:
        name = f"{section}.{key}"
        if (section, key) in MANAGED:
            cfg[section][key] = current[section][key]
            continue
        raw = form.get(name)
        if isinstance(default, bool):
            cfg[section][key] = raw is not None
            continue
        raw = (raw or "").strip()
        try:
            if isinstance(default, int):
                cfg[section][key] = int(raw)
            elif isinstance(default, float):
                cfg[section][key] = float(raw)
            elif isinstance(default, list):
                parts = [p.strip() for p in raw.split(",") if p.strip()]
                cfg[section][key] = [int(p) for p in parts] if key == "time_slices" else parts
            else:
                cfg[section][key] = raw
        except ValueError:
            raise ConfigError(f"[{section}] {key}: {raw!r} is not a valid {type(default).__name__}") from None
        if (section, key) in CHOICES and cfg[section][key] not in CHOICES[(section, key)]:
            raise ConfigError(f"[{section}] {key} must be one of {', '.join(CHOICES[(section, key)])}")
    validate(cfg)
    return cfg


def validate(cfg: dict[str, dict[str, Any]]) -> None:
    """Raise ConfigError when ``load_config`` would refuse this configuration (file parameters aside)."""
    check = {s: dict(v) for s, v in cfg.items()}
    for section, key in MANAGED:
        check[section][key] = ""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "study.toml"
        path.write_text(to_toml(check), encoding="utf-8")
        try:
            load_config(path)
        except ConfigError as exc:
            raise ConfigError(str(exc).replace(str(path) + ": ", "")) from None

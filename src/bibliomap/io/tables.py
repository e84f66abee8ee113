"""Writing result tables: one CSV per table and one XLSX workbook with a sheet per table.

Files are written atomically and deterministically (fixed float format, no timestamps in the
workbook), so the same tables give byte-identical files.
"""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from bibliomap.io.atomic import atomic_path, write_text

_DECIMALS = 6
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_FIXED_TIME = _dt.datetime(2000, 1, 1)


def table_to_csv(df: pd.DataFrame, path: str | Path) -> Path:
    """Write ``df`` as UTF-8 CSV (no index, '\\n' line ends, floats to 6 decimals) atomically."""
    path = Path(path)
    write_text(path, _rounded(df).to_csv(index=False, lineterminator="\n"))
    return path


def _rounded(df: pd.DataFrame) -> pd.DataFrame:
    """Floats rounded to 6 decimals (also inside object columns) so files stay readable and stable."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_float_dtype(out[col]):
            out[col] = out[col].round(_DECIMALS)
        elif out[col].dtype == object:
            out[col] = out[col].map(lambda v: round(v, _DECIMALS) if isinstance(v, float) else v)
    return out


def sheet_names(names: list[str]) -> list[str]:
    """Excel-safe, unique sheet names (at most 31 characters, no []:*?/\\)."""
    out: list[str] = []
    for name in names:
        base = _SHEET_BAD.sub("_", name)[:31] or "Sheet"
        candidate, i = base, 2
        while candidate.lower() in {o.lower() for o in out}:
            suffix = f"~{i}"
            candidate = base[: 31 - len(suffix)] + suffix
            i += 1
        out.append(candidate)
    return out


def _excel_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Lists become '; '-joined strings and NaN/NA become empty cells (Excel has no list type)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: "; ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
    return out


def tables_to_xlsx(tables: Mapping[str, pd.DataFrame], path: str | Path) -> Path:
    """Write every table to one workbook, a sheet per table in the given order, atomically."""
    path = Path(path)
    names = sheet_names(list(tables))
    with atomic_path(path) as tmp:
        with pd.ExcelWriter(tmp, engine="xlsxwriter") as writer:
            # fixed document properties and creation time keep the file byte-identical
            writer.book.set_properties({"created": _FIXED_TIME})
            for sheet, df in zip(names, tables.values()):
                _excel_safe(df).to_excel(writer, sheet_name=sheet, index=False)
    return path


def write_tables(tables: Mapping[str, pd.DataFrame], out_dir: str | Path, workbook: str = "tables.xlsx") -> list[Path]:
    """Write each table as ``<name>.csv`` in ``out_dir`` plus one workbook; returns the paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [table_to_csv(df, out_dir / f"{name}.csv") for name, df in tables.items()]
    paths.append(tables_to_xlsx(tables, out_dir / workbook))
    return paths

"""Notebook widgets (ipywidgets 8) for people who do not write code: choosing files, confirming
the column mapping, reviewing flagged cells and possible duplicates, a run dashboard and the
central-export reconciliation. Every label is Vietnamese (``unionclean/messages/vi/ui.yaml``),
every decision goes into the recipe, and every preview masks ID numbers and phones.

Example:
    >>> from unionclean import ui                                 # doctest: +SKIP
    >>> app = ui.UnitCleaningApp("data/don_vi", out="out/02")     # doctest: +SKIP
    >>> app.mapping                                               # doctest: +SKIP
"""
from __future__ import annotations

from unionclean.ui.app import UnitCleaningApp
from unionclean.ui.central import reconcile_session, status_rows, status_table, missing_rows
from unionclean.ui.common import ProgressBar, masked_preview, summary_table, t
from unionclean.ui.dashboard import dashboard, problem_counts, run_table
from unionclean.ui.files import FileChooser, list_unit_files
from unionclean.ui.mapping import MappingEditor
from unionclean.ui.pairs import PairReviewer
from unionclean.ui.review import FlagReviewer
from unionclean.ui.runs import ReplayPanel, RunPanel, output_table, recipe_table, upload_preview

__all__ = ["UnitCleaningApp", "FileChooser", "MappingEditor", "FlagReviewer", "PairReviewer", "ProgressBar",
           "RunPanel", "ReplayPanel", "dashboard", "run_table", "problem_counts", "reconcile_session",
           "status_table", "status_rows", "missing_rows", "masked_preview", "summary_table", "output_table",
           "recipe_table", "upload_preview", "list_unit_files", "t"]

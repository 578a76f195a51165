"""Runs over several files for the notebooks: a folder of units (with the cross-unit duplicates to
review) and the replay of a saved recipe on next month's files.

Example:
    >>> runs = RunPanel("data/don_vi", out="out/03", today="2026-11-01")   # doctest: +SKIP
    >>> run_table(runs.result); runs.duplicates                            # doctest: +SKIP
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import ipywidgets as W
import pandas as pd

from unionclean import api
from unionclean.recipe import Recipe
from unionclean.ui.common import Panel, ProgressBar, esc, t
from unionclean.ui.files import FileChooser
from unionclean.ui.pairs import PairReviewer

__all__ = ["RunPanel", "ReplayPanel", "output_table", "recipe_table", "upload_preview"]


def _date(today: str | date | None) -> date | None:
    if not today:
        return None
    return today if isinstance(today, date) else date.fromisoformat(str(today))


def output_table(result: api.RunResult) -> pd.DataFrame:
    """The files a run wrote, one row per input (the run-wide files in a last row)."""
    rows = []
    for f in result.files:
        rows.append({t("ui.summary.file"): f.file, t("ui.write.upload"): f.outputs.get("upload", ""),
                     t("ui.write.review"): f.outputs.get("review", ""),
                     t("ui.write.changes"): f.outputs.get("changes", "")})
    df = pd.DataFrame(rows)
    extra = {t("ui.write.recipe"): "recipe.yaml", t("ui.write.manifest"): Path(result.manifest_path).name}
    if result.duplicates_path:
        extra[t("ui.write.duplicates")] = Path(result.duplicates_path).name
    return pd.concat([df, pd.DataFrame([{t("ui.summary.file"): k, t("ui.write.upload"): v}
                                        for k, v in extra.items()])], ignore_index=True).fillna("")


def recipe_table(recipe: Recipe | str | Path) -> pd.DataFrame:
    """The human decisions a recipe holds, in Vietnamese (what a replay will repeat)."""
    r = recipe if isinstance(recipe, Recipe) else Recipe.load(recipe)
    rows = []
    for sheet, cols in (r.params("map_columns").get("overrides") or {}).items():
        for header, field in (cols or {}).items():
            rows.append((t("ui.recipe.mapping_overrides"), f"{sheet} / {header}",
                         field or t("ui.mapping.ignore")))
    for c in r.decisions.get("cells") or []:
        act = {"accept": t("ui.flags.accept"), "set": t("ui.flags.set"), "leave": t("ui.flags.leave")}[c["action"]]
        shown = f"{act} {c['value']}".strip() if c["field"] not in ("so_cccd", "so_dien_thoai") else act
        rows.append((t("ui.recipe.cells"), f"{c['loc']} / {c['field']}", shown))
    pairs = r.decisions.get("pairs") or {}
    for kind in ("merge", "keep_apart"):
        for a, b in pairs.get(kind, []):
            rows.append((t(f"ui.recipe.pairs_{kind}"), a, b))
    return pd.DataFrame(rows, columns=[t("ui.recipe.title"), t("ui.flags.where"), t("ui.mapping.field")])


class RunPanel(Panel):
    """Clean several unit files at once: the file list, the *Làm sạch* button with a progress bar,
    and (in :attr:`duplicates`) the cross-unit pairs with a *Lưu công thức* button.

    Args:
        folder: Folder of unit files (all selected at first).
        out: Output folder.
        today: Run date (ISO; empty = today).
        run_now: Clean the selected files immediately (the notebook then shows results at once).
    """

    def __init__(self, folder: str | Path, out: str | Path, *, today: str | date | None = None,
                 run_now: bool = True) -> None:
        self.out = Path(out)
        self.today = _date(today)
        self.result: api.RunResult | None = None
        self.chooser = FileChooser(folder, multiple=True)
        self.progress = ProgressBar(1)
        self.button = W.Button(description=t("ui.run.clean_selected"),
                               button_style="primary", icon="play", layout=W.Layout(width="auto"))
        self.button.on_click(lambda _: self.run())
        self.widget = W.VBox([self.chooser.widget, self.button, self.progress.widget])
        self.pair_box = W.VBox()
        self.save_button = W.Button(description=t("ui.write.save_recipe"), icon="save", layout=W.Layout(width="auto"))
        self.save_button.on_click(lambda _: self.save_recipe())
        self.save_status = W.HTML()
        self.duplicates = W.VBox([self.pair_box, self.save_button, self.save_status])
        if run_now:
            self.run()

    def run(self) -> api.RunResult | None:
        """Clean the selected files into :attr:`out` (one process: notebooks share the machine)."""
        files = self.chooser.selected
        if not files:
            return None
        self.result = api.clean(files, self.out, today=self.today, jobs=1, progress=self.progress)
        self.progress.finish()
        if self.result.duplicates_path:
            self.reviewer = PairReviewer.for_duplicates(self.result.duplicates_path, self.result.recipe)
        else:
            self.reviewer = PairReviewer([], lambda a, b, act: None)
        self.pair_box.children = [self.reviewer.widget]
        return self.result

    def save_recipe(self) -> Path | None:
        """Save the run's recipe (with the pair decisions) as ``recipe.yaml`` in the output folder."""
        if self.result is None:
            return None
        path = self.out / "recipe.yaml"
        self.result.recipe.save(path)
        self.save_status.value = esc(t("ui.write.recipe_saved", path=path))
        return path


class ReplayPanel(Panel):
    """Replay a saved recipe on other files (next month's) with a progress bar.

    Args:
        recipe: Path of ``recipe.yaml``.
        inputs: Files or folders to clean.
        out: Output folder.
        today: Run date (ISO; empty = today).
    """

    def __init__(self, recipe: str | Path, inputs: list[str | Path] | str | Path, out: str | Path, *,
                 today: str | date | None = None) -> None:
        self.recipe = Recipe.load(recipe)
        self.inputs = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
        self.out = Path(out)
        self.progress = ProgressBar(1)
        self.widget = self.progress.widget
        self.result = api.run(self.recipe, self.inputs, self.out, today=_date(today), jobs=1,
                              progress=self.progress)
        self.progress.finish()


def upload_preview(result: api.RunResult, n: int = 5) -> pd.DataFrame:
    """The first ``n`` rows of the first upload file of a run, ID numbers and phones masked."""
    from unionclean.ui.common import masked_preview

    for f in result.files:
        if f.ok and f.outputs.get("upload"):
            return masked_preview(Path(result.out) / f.outputs["upload"], n=n)
    return pd.DataFrame()

"""The unit-cleaning app: choose a file → confirm the mapping → review flagged cells and
possible duplicates → write the upload file. Each step is a panel the notebook shows in its own
cell (and Voilà shows without code); the buttons move the work along, so it runs the same
whether a person runs the cells one by one or Voilà runs them all.

Example:
    >>> app = UnitCleaningApp("data/don_vi", out="out/02")        # doctest: +SKIP
    >>> app.chooser; app.mapping; app.summary; app.flags; app.pairs; app.writer   # doctest: +SKIP
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import ipywidgets as W
from IPython.display import display

from unionclean.session import CleaningSession
from unionclean.ui.common import Panel, ProgressBar, esc, masked_preview, summary_table, t
from unionclean.ui.files import FileChooser
from unionclean.ui.mapping import MappingEditor
from unionclean.ui.pairs import PairReviewer
from unionclean.ui.review import FlagReviewer

__all__ = ["UnitCleaningApp", "Writer", "Summary"]


class Summary(Panel):
    """Counts of the last run of the session, and a progress bar while it runs."""

    def __init__(self) -> None:
        self.progress = ProgressBar(3, t("ui.run.working"))
        self.table = W.Output()
        self.widget = W.VBox([self.progress.widget, self.table])

    def show(self, session: CleaningSession) -> None:
        self.table.clear_output()
        with self.table:
            display(summary_table(session.summary()))


class Writer(Panel):
    """The *Ghi tệp tải lên* button: writes upload, review, changes and recipe, then lists them
    with a masked preview of the upload file."""

    def __init__(self, app: "UnitCleaningApp") -> None:
        self.app = app
        self.button = W.Button(description=t("ui.write.button"), button_style="success", icon="save",
                               layout=W.Layout(width="auto"))
        self.button.on_click(lambda _: self.write())
        self.result = W.Output()
        self.files: dict[str, str] = {}
        self.widget = W.VBox([self.button, self.result])

    def write(self) -> dict[str, str]:
        """Write the outputs of the current session; returns kind → file name."""
        s = self.app.session
        self.result.clear_output()
        if s is None:
            return {}
        out = Path(self.app.out)
        self.app.rerun()  # every decision recorded so far is in the written files
        self.app.summary.progress.step(2, 3, t("ui.run.step_write"))
        try:
            self.files = s.write(out)
        except Exception as exc:  # shown to the person; the notebook must not die on a full disk
            with self.result:
                print(t("ui.write.error", why=exc))
            return {}
        self.app.summary.progress.finish()
        with self.result:
            lines = [f"<p>{esc(t('ui.write.done', out=out))}</p><ul>"]
            for kind in ("upload", "review", "changes", "recipe"):
                if kind in self.files:
                    lines.append(f"<li>{esc(t(f'ui.write.{kind}'))}: <code>{esc(self.files[kind])}</code></li>")
            lines.append("</ul>")
            display(W.HTML("".join(lines)))
            display(masked_preview(out / self.files["upload"], n=5))
        return self.files


class UnitCleaningApp:
    """Everything the unit-cleaning notebook shows, wired together.

    Args:
        folder: Folder of unit files offered by the chooser.
        out: Output folder (created when writing).
        file: File name to open first (default: the first file of the folder).
        today: Run date (ISO ``yyyy-mm-dd``; empty or ``None`` = today).
        recipe: A saved recipe to start from (its decisions are shown and kept).
    """

    def __init__(self, folder: str | Path, out: str | Path, *, file: str | None = None,
                 today: str | date | None = None, recipe: str | Path | None = None) -> None:
        self.out = Path(out)
        self.today = today or None
        self.recipe_path = recipe or None
        self.session: CleaningSession | None = None
        self.summary = Summary()
        self.mapping = MappingEditor(on_confirm=self.rerun)
        self.flags = FlagReviewer(on_apply=self.refresh)
        self.pairs = PairReviewer([], lambda a, b, act: None)
        self.writer = Writer(self)
        self.chooser = FileChooser(folder, on_open=lambda paths: self.open(paths[0]), value=file)
        if self.chooser.selected:
            self.open(self.chooser.selected[0])

    def open(self, path: str | Path) -> None:
        """Open a unit file: propose the mapping and clean it once with the proposal."""
        p = self.summary.progress
        p.step(0, 3, t("ui.run.step_read"))
        try:
            self.session = CleaningSession(path, today=self.today, recipe=self.recipe_path)
            self.mapping.load(self.session)
        except Exception as exc:  # a bad file is reported in Vietnamese, not as a traceback
            self.chooser.status.value = esc(t("ui.files.error", file=Path(path).name, why=exc))
            self.session = None
            return
        self.chooser.status.value = esc(t("ui.files.opened", file=Path(path).name))
        self.writer.result.clear_output()
        self.rerun()

    def rerun(self) -> None:
        """Clean again with every decision recorded so far, then refresh the review panels."""
        if self.session is None:
            return
        self.summary.progress.step(1, 3, t("ui.run.step_clean"))
        self.session.run()
        self.refresh()

    def refresh(self) -> None:
        """Show the current outcome in the summary and review panels."""
        s = self.session
        self.summary.show(s)
        self.flags.load(s)
        fresh = PairReviewer.for_session(s)
        self.pairs.decide_fn, self.pairs.labels = fresh.decide_fn, fresh.labels
        self.pairs.load(fresh.pairs)
        self.summary.progress.step(2, 3, t("ui.run.done"))

    def recipe_yaml(self) -> str:
        """The recipe as it stands (what *Lưu công thức* writes)."""
        return self.session.recipe.to_yaml() if self.session else ""

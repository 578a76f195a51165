"""Choosing unit files without typing paths: a folder box and a list of the Excel/CSV files in it.

Example:
    >>> chooser = FileChooser("data/don_vi")                      # doctest: +SKIP
    >>> chooser                                                   # doctest: +SKIP
    >>> chooser.selected                                          # doctest: +SKIP
    [PosixPath('data/don_vi/U1_....xlsx')]
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import ipywidgets as W

from unionclean.ui.common import Panel, esc, t

__all__ = ["FileChooser", "list_unit_files", "UNIT_SUFFIXES"]

UNIT_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".csv")


def list_unit_files(folder: str | Path, suffixes: tuple[str, ...] = UNIT_SUFFIXES) -> list[Path]:
    """Unit files directly inside ``folder`` (sorted by name; hidden and ``~$`` lock files left out)."""
    p = Path(folder)
    if not p.is_dir():
        return []
    return sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in suffixes
                  and not f.name.startswith((".", "~$")))


class FileChooser(Panel):
    """Pick one file (a drop-down) or several (a multi-select list) from a folder.

    Args:
        folder: Folder shown first (the person may type another one and press *Tải lại*).
        multiple: Several files at once (all selected at first).
        on_open: Called with the chosen paths when the person presses *Mở tệp này*
            (single mode only; without it no button is shown).
        value: File name to select first (single mode); default the first file.
    """

    def __init__(self, folder: str | Path, *, multiple: bool = False,
                 on_open: Callable[[list[Path]], None] | None = None, value: str | None = None) -> None:
        self.multiple = multiple
        self.on_open = on_open
        self.folder = W.Text(value=str(folder), description=t("ui.files.folder"),
                             layout=W.Layout(width="60%"))
        self.refresh_button = W.Button(description=t("ui.files.refresh"), icon="refresh")
        if multiple:
            self.files = W.SelectMultiple(options=[], rows=8, description=t("ui.files.files"),
                                          layout=W.Layout(width="60%"))
        else:
            self.files = W.Dropdown(options=[], description=t("ui.files.file"), layout=W.Layout(width="60%"))
        self.open_button = W.Button(description=t("ui.files.open"), button_style="primary", icon="folder-open")
        self.status = W.HTML()
        self.refresh_button.on_click(lambda _: self.refresh())
        self.open_button.on_click(lambda _: self.open())
        row = [self.files] + ([self.open_button] if on_open and not multiple else [])
        self.widget = W.VBox([W.HBox([self.folder, self.refresh_button]), W.HBox(row), self.status])
        self.refresh(value)

    def refresh(self, value: str | None = None) -> None:
        """List the files of the folder again."""
        found = list_unit_files(self.folder.value)
        self._paths = {f.name: f for f in found}
        self.files.options = list(self._paths)
        if not found:
            self.status.value = esc(t("ui.files.none", folder=self.folder.value))
            return
        if self.multiple:
            self.files.value = tuple(self._paths)
        else:
            self.files.value = value if value in self._paths else found[0].name
        self.status.value = esc(t("ui.files.count", n=len(found), folder=self.folder.value))

    @property
    def selected(self) -> list[Path]:
        """The chosen files."""
        v = self.files.value
        names = list(v) if self.multiple else ([v] if v else [])
        return [self._paths[n] for n in names if n in self._paths]

    def open(self) -> None:
        """Hand the chosen file to ``on_open`` (what the *Mở tệp này* button does)."""
        if self.on_open and self.selected:
            self.on_open(self.selected)

"""Fixtures of the training tests."""
from __future__ import annotations

import pytest

from unionclean.training import prepare
from training_solutions import TRAINEE


@pytest.fixture
def work(tmp_path):
    return tmp_path / "work"


@pytest.fixture
def practice(work):
    def make(exercise_id: str, trainee: str = TRAINEE):
        return prepare(trainee, exercise_id, work=work, track="cap_tren")
    return make

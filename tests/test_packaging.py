"""Set-up files stay consistent: environment.yml mirrors pyproject.toml; the lock pins them."""
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(req: str) -> str:
    return re.split(r"[<>=!~\[; ]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_environment_yml_mirrors_pyproject():
    proj = _pyproject()
    wanted = {_name(d): d for d in proj["dependencies"]}
    for extra in ("notebooks", "test"):
        wanted.update({_name(d): d for d in proj["optional-dependencies"][extra]})
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    have = {_name(d): d for d in pip if not d.startswith("-e")}
    assert set(have) == set(wanted)
    for k, spec in wanted.items():
        assert have[k].replace(" ", "") == spec.replace(" ", ""), k


def test_constraints_pin_every_dependency_exactly():
    lines = (ROOT / "requirements" / "constraints.txt").read_text(encoding="utf-8").splitlines()
    pins = {_name(l): l for l in lines if l and not l.startswith("#")}
    assert all("==" in l for l in pins.values())
    proj = _pyproject()
    deps = list(proj["dependencies"]) + [d for e in ("notebooks", "test") for d in proj["optional-dependencies"][e]]
    for d in deps:
        assert _name(d) in pins, f"{_name(d)} is not pinned in requirements/constraints.txt"


def test_a_wheel_carries_the_reference_template():
    """pip install from a wheel (not only editable) must find the template: it is packaged as
    unionclean/data/templates (a link to data_templates/ in the source tree)."""
    pkg = ROOT / "unionclean" / "data" / "templates"
    assert (pkg / "reference_v1.yaml").read_bytes() == (ROOT / "data_templates" / "reference_v1.yaml").read_bytes()
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = data["tool"]["setuptools"]["package-data"]["unionclean.data"]
    assert "templates/*.yaml" in globs and "templates/*.xlsx" in globs

"""Recipes: declarative, validated, and saved/loaded exactly."""
import pytest

from unionclean.errors import RecipeError
from unionclean.recipe import DEFAULT_STEPS, Recipe


def test_round_trip_is_exact(tmp_path):
    r = Recipe.new(today="2026-11-01")
    r.mapping = {"a.xlsx": {"Tổ 1": {"ho_ten": {"headers": ["Họ và tên"], "kind": "single", "columns": ["B"]}}}}
    r.decisions = {"date_order": {"a.xlsx": {"Tổ 1|ngay_sinh": {"order": "mdy", "evidence": {"mdy": 3}}}},
                   "pairs": {"merge": [["a.xlsx|Tổ 1|5", "a.xlsx|Tổ 2|9"]], "keep_apart": []}}
    p = tmp_path / "recipe.yaml"
    r.save(p)
    text = p.read_text(encoding="utf-8")
    back = Recipe.load(p)
    assert back == r
    assert back.to_yaml() == text
    assert "Tổ 1" in text  # readable Vietnamese, not escaped


def test_every_step_has_an_op_params_and_description():
    for s in DEFAULT_STEPS:
        assert s["op"] and isinstance(s["params"], dict) and s["description"]


def test_invalid_recipe_lists_all_problems():
    with pytest.raises(RecipeError) as e:
        Recipe.from_dict({"unionclean_recipe": 9, "today": "yesterday", "steps": [{"op": "explode"}],
                          "mapping": []})
    assert len(e.value.problems) == 4


def test_mapping_for_next_months_file_uses_the_only_mapping():
    r = Recipe.new(today="2026-11-01", mapping={"unit_2026-10.xlsx": {"S": {}}})
    assert r.mapping_for("unit_2026-11.xlsx") == {"S": {}}
    r.mapping["other.xlsx"] = {"T": {}}
    assert r.mapping_for("unit_2026-11.xlsx") is None


def test_c_and_python_yaml_write_the_same_recipe():
    import yaml

    r = Recipe.new(today="2026-11-01")
    r.mapping = {f"u{i:03d}_đơn vị.xlsx": {"Tổ 1": {"ho_ten": {"headers": ["Họ và tên đoàn viên " * 4],
                                                              "kind": "single", "columns": ["B"]}}}
                 for i in range(30)}
    pure = yaml.safe_dump(r.to_dict(), allow_unicode=True, sort_keys=False, width=100)
    assert r.to_yaml() == pure

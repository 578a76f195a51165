"""Recipes: declarative, validated, and saved/loaded exactly."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_recipe_yaml_reads_back_the_same_with_the_c_and_the_python_parser():
    import yaml

    r = Recipe.new(today="2026-11-01")
    r.mapping = {f"u{i:03d}_đơn vị: {i}.xlsx": {"Tổ 1": {"ho_ten": {"headers": ["Họ và tên đoàn viên " * 4, "yes",
                                                                             "1.5", "#", "- a", "Ngày: 1"],
                                                                 "kind": "single", "columns": ["B"]}}}
                 for i in range(30)}
    text = r.to_yaml()
    assert yaml.load(text, Loader=yaml.SafeLoader) == yaml.load(text, Loader=yaml.CSafeLoader) == r.to_dict()
    assert "  u001_đơn vị: 1.xlsx" not in text  # ": " inside a key is quoted


_scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
            | st.sampled_from(["yes", "No", "on", "~", "null", "1_000", "0x1F", "1:20", "2026-11-01", ".inf",
                               "- x", "? x", "a: b", "a #b", "[x]", "{x}", "'x'", '"x"', "x ", " x", "",
                               "a\u0085b", "a\u2028b", "\ufeffx", "Họ và tên", "E,F", "*x", "&x", "!x", "%x",
                               "@x", "`x", "|", ">"]))
_docs = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=8) | st.integers(), inner, max_size=4), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=10), _docs, max_size=5))
def test_fast_yaml_writer_is_read_back_exactly(doc):
    import yaml

    from unionclean.recipe.fastyaml import dump

    assert yaml.load(dump(doc), Loader=yaml.SafeLoader) == doc


def test_fast_yaml_writer_falls_back_to_pyyaml_for_other_types():
    import yaml

    from unionclean.recipe.fastyaml import dump

    doc = {"a": (1, 2), "b": "x"}
    assert dump(doc) == yaml.safe_dump(doc)

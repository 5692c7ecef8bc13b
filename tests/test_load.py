"""YAML problems are reported at the line and column that is actually wrong."""
from liaison.load import load, parse_yaml


def messages(problems):
    return [str(p) for p in problems]


def test_positions_of_keys_and_values_are_kept():
    data, problems = parse_yaml("- id: a\n  name: A\n  boroughs: [x, y]\n", "officers.yaml")
    assert problems == []
    record = data[0]
    assert record.pos == (1, 3)
    assert record.where("name") == (2, 9)
    assert record["boroughs"].where(1) == (3, 17)


def test_syntax_error_points_at_the_unclosed_list():
    text = "- id: a\n  name: A\n  boroughs: [harrow, barnet\n- id: b\n"
    _, problems = parse_yaml(text, "officers.yaml")
    assert messages(problems) == [
        "officers.yaml:3:13: YAML syntax error: this list is not closed (add ']' at its end, and check for a missing comma)"]


def test_tab_indentation_gets_a_hint():
    _, problems = parse_yaml("- id: a\n\tname: A\n", "officers.yaml")
    assert messages(problems) == [
        "officers.yaml:2:1: YAML syntax error: a tab character is not allowed here (indent with spaces, not tabs)"]


def test_missing_space_after_colon_in_a_block_is_reported_at_its_line():
    _, problems = parse_yaml("- id: a\n  name: A\n  role:full-time\n  email: x\n", "officers.yaml")
    assert messages(problems) == [
        "officers.yaml:3:3: YAML syntax error: this line needs a colon after the field name "
        "(write the field name, a colon and a space, then the value, e.g. 'name: Alex')"]


def test_duplicate_key_is_an_error_at_the_second_one():
    _, problems = parse_yaml("- id: a\n  name: A\n  name: B\n", "officers.yaml")
    assert messages(problems) == [
        "officers.yaml:3:3: 'name' appears twice in this record (delete one of them: only the last would be used)"]


def test_front_matter_lines_count_from_the_top_of_the_file(make_project):
    root = make_project({"content/about.md": "---\ntitle: About\ndescription: [oops\n---\nBody\n"})
    problems = load(root).problems
    assert messages(problems) == ["content/about.md:3:14: YAML syntax error: this list is not closed "
                                  "(add ']' at its end, and check for a missing comma)"]


def test_a_page_without_front_matter(make_project):
    root = make_project({"content/about.md": "Just text\n"})
    assert messages(load(root).problems) == [
        "content/about.md:1:1: the page has no front matter (start it with a line '---', then title: and "
        "description:, then another line '---')"]


def test_a_missing_data_file(make_project):
    root = make_project({"reporting.yaml": None})
    assert messages(load(root).problems) == [
        f"reporting.yaml:1:1: this file is missing (create reporting.yaml in {root})"]


def test_an_invisible_control_character_is_found_where_it_is():
    _, problems = parse_yaml("- id: a\n  name: Caf\u00e9 \x07Bar\n", "officers.yaml")
    assert messages(problems) == [
        "officers.yaml:2:14: YAML syntax error: there is an invisible control character here "
        "(delete it: retype the value, or delete the line and type it again)"]


def test_a_date_that_does_not_exist_is_left_for_validation_to_report():
    data, problems = parse_yaml("- last_verified: 2026-02-30\n", "officers.yaml")
    assert problems == [] and data[0]["last_verified"] == "2026-02-30"


def test_a_value_a_tag_cannot_make_is_reported_where_it_is():
    _, problems = parse_yaml("- id: a\n  nav_order: !!int first\n", "officers.yaml")
    assert messages(problems) == [
        "officers.yaml:2:14: YAML syntax error: this value has a tag starting with '!' that is not allowed "
        "(delete the tag, or put quotes around the whole value)"]

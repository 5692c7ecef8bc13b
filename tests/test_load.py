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
    assert len(problems) == 1
    assert problems[0].line == 4 and problems[0].path == "officers.yaml"


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

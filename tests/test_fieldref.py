"""docs/data.md documents exactly the fields liaison/schema.py defines."""
from liaison.fieldref import DOC, updated


def test_field_reference_is_up_to_date():
    text = DOC.read_text(encoding="utf-8")
    assert text == updated(text), "docs/data.md is out of date: run `python -m liaison.fieldref`"


def test_every_field_is_documented():
    from liaison import schema as S
    text = DOC.read_text(encoding="utf-8")
    for record in (*S.DATA_FILES, S.PAGE):
        for field in record.fields:
            assert f"| `{field.name}` |" in text
    assert "**Private: never published.**" in text

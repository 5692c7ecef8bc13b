"""The plain-prose shortcut gives exactly what Python-Markdown gives."""
import random

import pytest

from liaison import markup
from tests.conftest import REPO

SAFE = ["word", "Word", "it's", "LGBT+", "full-time", ".", ",", " ", " ", " ", "\n", "\n\n", "é", "101", "(", ")", ":"]
PIECES = ["word", "Word", "it's", "Sam's", "don't", "'quoted'", "x'", "'x", "LGBT+", "full-time", " - ", "--",
          "...", ".", ",", ";", ":", "!", "?", "(", ")", "/", "+", "-", "1", "101", "1.", "2)", "é", "ß", "’",
          " ", "  ", "\n", "\n\n", "\n\n\n", "\n ", " \n", "\n-", "\n+", "\n1. ", "\t", "*", "_", "#", "<b>",
          "&", '"', "٣", "\n٣", "x_y", "a \n", "[a](https://x.org)", "`c`", "\\", "=", "==", "\n===", "\n---", "@", "80s", "'80s"]


def real(text):
    return markup._markdown.reset().convert(text)


def test_generated_texts_agree():
    rng = random.Random(5)
    plain = 0
    for _ in range(6000):
        text = "".join(rng.choice(PIECES if rng.random() < 0.1 else SAFE) for _ in range(rng.randrange(1, 30)))
        fast = markup.plain_html(text)
        if fast is not None:
            plain += 1
            assert fast == real(text), repr(text)
            assert markup.render_markdown(text) == markup.sanitise(real(text)), repr(text)
    assert plain > 1000  # the shortcut was exercised


@pytest.mark.parametrize("text", [
    "Sam is the LGBT+ liaison officer for Camden and Islington, including the venues around\n"
    "King's Cross. They can explain your options before you decide whether to make a report.\n",
    "One paragraph.\n\nAnother, with (brackets) and a / slash: fine!\n",
    "Élodie speaks French; she’s based in Hackney.",
    "",
])
def test_typical_bios_take_the_shortcut(text):
    assert markup.plain_html(text) == real(text)


def test_sample_data_renders_the_same_either_way():
    import yaml
    for name, field in [("officers.yaml", "bio"), ("organisations.yaml", "description"), ("reporting.yaml", "how")]:
        for record in yaml.safe_load((REPO / name).read_text(encoding="utf-8")):
            text = record.get(field) or ""
            assert markup.markdown_html(text) == real(text)

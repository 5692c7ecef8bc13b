import pytest

from liaison.urls import absolute, normalise_base_url, output_file, relative


@pytest.mark.parametrize("page, target, expected", [
    ("", "", "./"),
    ("", "boroughs/harrow/", "boroughs/harrow/"),
    ("", "assets/css/site.css", "assets/css/site.css"),
    ("report/", "", "../"),
    ("report/", "report/#call-999", "../report/#call-999"),
    ("boroughs/harrow/", "", "../../"),
    ("boroughs/harrow/", "officers/alex-morgan/", "../../officers/alex-morgan/"),
    ("boroughs/harrow/", "assets/css/site.css", "../../assets/css/site.css"),
    ("404.html", "report/", "report/"),
])
def test_relative_links_never_start_with_a_slash(page, target, expected):
    assert relative(page, target) == expected


@pytest.mark.parametrize("page, expected", [
    ("", "index.html"), ("report/", "report/index.html"), ("404.html", "404.html"),
    ("boroughs/harrow/", "boroughs/harrow/index.html"),
])
def test_output_file(page, expected):
    assert output_file(page) == expected


@pytest.mark.parametrize("base, expected", [
    ("https://example.org", "https://example.org/"),
    ("https://example.org/lgbt/", "https://example.org/lgbt/"),
    ("https://example.org/lgbt", "https://example.org/lgbt/"),
    ("", ""), (None, ""),
])
def test_base_url_always_ends_with_a_slash(base, expected):
    assert normalise_base_url(base) == expected


def test_absolute_links_for_a_sub_path_deploy():
    assert absolute("https://example.org/lgbt/", "boroughs/harrow/") == "https://example.org/lgbt/boroughs/harrow/"

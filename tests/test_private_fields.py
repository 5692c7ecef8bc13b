"""Private data never leaves: officers' notes and the fields site.yaml declares private.

The main test plants a unique marker in every field that is or can be made
private, in every record of the sample data, and searches every byte and every
file name of the output for them. It searches whatever the build writes, so it
also covers pages and exports added later.
"""
from __future__ import annotations

import pytest

from hostile import copy_sample, read_yaml, run, write_yaml
from liaison import schema as S


def private_candidates():
    """{site.yaml key: [fields]}: every field that is private or may be declared so."""
    return {key: [f for f in schema.fields if f.private or f.may_be_private]
            for key, schema in S.PRIVATE_FIELD_RECORDS.items()}


class Planter:
    """Makes a unique, valid value for a field and remembers how to find it in the output."""

    def __init__(self, root):
        self.root, self.count, self.planted = root, 0, []  # planted: (where, [strings to search for])

    def value(self, f, where):
        self.count += 1
        n = self.count
        mark = f"pm{n:04d}zq"
        if f.kind in (S.TEXT, S.MARKDOWN):
            value, finds = (f"Private **{mark}** words" if f.kind == S.MARKDOWN else f"Private {mark}"), [mark]
        elif f.kind == S.TEXTS:
            value, finds = [f"Private {mark}"], [mark]
        elif f.kind == S.EMAIL:
            value, finds = f"{mark}@example.org", [mark]
        elif f.kind == S.URL:
            value, finds = f"https://{mark}.example.org/", [mark]
        elif f.kind == S.PHONE:  # Ofcom's numbers for drama: valid, and never anyone's
            value, finds = f"0161 496 0{n:03d}", [f"496 0{n:03d}", f"4960{n:03d}"]
        elif f.kind == S.ASSET:
            (self.root / "assets" / "photos").mkdir(parents=True, exist_ok=True)
            (self.root / "assets" / "photos" / f"{mark}.jpg").write_bytes(f"photo bytes {mark}-inside".encode())
            value, finds = f"photos/{mark}.jpg", [mark]
        elif f.kind == S.ADDRESS:
            # A postcode must be valid, so it cannot carry a marker: the other lines of the address do.
            value = {"street": f"{mark}a Street", "town": f"{mark}b", "postcode": "ZE9 9ZZ", "county": f"{mark}c"}
            finds = [f"{mark}a", f"{mark}b", f"{mark}c"]
        else:
            raise AssertionError(f"no marker for a {f.kind} field ({where}): teach this test how to plant one")
        self.planted.append((where, finds))
        return value


def planted_project(root, declare_private=True):
    """The sample data with a marker in every private-able field of every record."""
    copy_sample(root)
    planter = Planter(root)
    site = read_yaml(root / "site.yaml")
    records = {"forces": site["forces"]}
    for key, schema in S.PRIVATE_FIELD_RECORDS.items():
        if schema.file:
            records[key] = read_yaml(root / schema.file)
    for key, fields in private_candidates().items():
        for record in records[key]:
            for f in fields:
                record[f.name] = planter.value(f, f"{key} {record['id']} {f.name}")
    for key, schema in S.PRIVATE_FIELD_RECORDS.items():
        if schema.file:
            write_yaml(root / schema.file, records[key])
    site["base_url"] = "https://example.org/lgbt-liaison/"  # sitemap.xml and canonical links too
    if declare_private:
        site["private_fields"] = {key: [f.name for f in fields if not f.private] for key, fields in private_candidates().items()}
    write_yaml(root / "site.yaml", site)
    return planter.planted


def output_of(out):
    """[(relative path, lowercased bytes or None for a folder)] of everything under out, hidden files too."""
    return [(path.relative_to(out).as_posix().lower(), path.read_bytes().lower() if path.is_file() else None)
            for path in sorted(out.rglob("*"))]


def found_in(output, finds):
    """Where in the output (file contents or names) any of the strings appears."""
    places = []
    for rel, content in output:
        places += [f"the name {rel}" for s in finds if s in rel]
        places += [rel for s in finds if content is not None and s.encode() in content]
    return places


def test_no_private_field_appears_in_any_byte_of_the_output(tmp_path):
    planted = planted_project(tmp_path / "project")
    assert len(planted) > 200
    out = tmp_path / "site"
    code, stdout, err = run("build", "--source", tmp_path / "project", "--out", out)
    assert code == 0, err
    assert (out / "sitemap.xml").is_file()
    output = output_of(out)
    leaks = {where: found_in(output, finds) for where, finds in planted}
    assert {where: places for where, places in leaks.items() if places} == {}


def test_the_planted_markers_are_published_when_not_private(tmp_path):
    """The control for the test above: the markers are there to be found unless the fields are private."""
    planted = planted_project(tmp_path / "project", declare_private=False)
    out = tmp_path / "site"
    code, _, err = run("build", "--source", tmp_path / "project", "--out", out)
    assert code == 0, err
    output = output_of(out)
    hidden = {where for where, finds in planted if not found_in(output, finds)}
    always_private = {f.name for fields in private_candidates().values() for f in fields if f.private}
    not_shown = {"online_report_url"}  # a force's online form: no template shows it at present
    assert {where.split()[-1] for where in hidden} <= always_private | not_shown


def test_a_private_photo_is_not_copied_into_the_site(make_project, tmp_path):
    officers = (make_project() / "officers.yaml").read_text(encoding="utf-8")
    root = make_project({"officers.yaml": officers.replace("  notes:", "  photo: photos/alex.jpg\n  photo_alt: Alex smiling\n  notes:"),
                         "site.yaml": (make_project() / "site.yaml").read_text() + "private_fields:\n  officers: [photo]\n"})
    (root / "assets" / "photos").mkdir(parents=True)
    (root / "assets" / "photos" / "alex.jpg").write_bytes(b"JPEG")
    (root / "assets" / "photos" / "unrelated.jpg").write_bytes(b"JPEG")
    out = tmp_path / "site"
    assert run("build", "--source", root, "--out", out)[0] == 0
    assert not (out / "assets" / "photos" / "alex.jpg").exists()
    assert (out / "assets" / "photos" / "unrelated.jpg").exists()  # other assets are still published
    assert b"alex.jpg" not in (out / "officers" / "alex-example" / "index.html").read_bytes()


# Declaring fields private: mistakes get one clear message each, where they were written.

def check_private_fields(make_project, text):
    site = (make_project() / "site.yaml").read_text(encoding="utf-8")
    root = make_project({"site.yaml": site + text})
    code, out, err = run("check", "--source", root)
    return code, (out + err).splitlines()


def test_a_valid_declaration_is_accepted(make_project):
    code, lines = check_private_fields(make_project, "private_fields:\n  officers: [phone, email]\n  organisations: address\n")
    assert (code, lines) == (0, ["0 errors, 0 warnings, 0 info"])


def test_an_unknown_file_gets_the_closest_name(make_project):
    code, lines = check_private_fields(make_project, "private_fields:\n  oficers: [phone]\n  people: [phone]\n")
    assert code == 1
    assert lines == [
        "site.yaml:13:3: 'oficers' in private_fields is not one of boroughs, forces, officers, organisations, reporting "
        "(did you mean 'officers'?)",
        "site.yaml:14:3: 'people' in private_fields is not one of boroughs, forces, officers, organisations, reporting",
        "2 errors, 0 warnings, 0 info",
    ]


def test_an_unknown_field_gets_the_closest_name(make_project):
    code, lines = check_private_fields(make_project, "private_fields:\n  officers: [phon, shoe_size]\n")
    assert code == 1
    assert lines == [
        "site.yaml:13:14: unknown field 'phon' in officers (did you mean 'phone'?)",
        "site.yaml:13:20: unknown field 'shoe_size' in officers (the fields of officers are id, name, rank, pronouns, "
        "role, boroughs, email, phone, languages, photo, photo_alt, bio, last_verified, notes)",
        "2 errors, 0 warnings, 0 info",
    ]


@pytest.mark.parametrize("key, name, record", [("officers", "id", "officer"), ("officers", "name", "officer"),
                                               ("officers", "boroughs", "officer"), ("organisations", "national", "organisation"),
                                               ("boroughs", "neighbours", "borough"), ("forces", "non_emergency", "force")])
def test_fields_the_site_needs_cannot_be_private(make_project, key, name, record):
    code, lines = check_private_fields(make_project, f"private_fields:\n  {key}: [{name}]\n")
    assert code == 1
    assert lines == [f"site.yaml:13:{len(key) + 6}: '{name}' cannot be private: the site needs it to show each {record} "
                     "(only optional details such as a phone number or email address can be private)",
                     "1 error, 0 warnings, 0 info"]


def test_private_fields_must_be_a_set_of_fields(make_project):
    code, lines = check_private_fields(make_project, "private_fields: [phone]\n")
    assert code == 1
    assert lines == ["site.yaml:12:17: 'private_fields' must list fields under the name of their file, not a list "
                     "(e.g. 'officers: [phone, email]' on the next line, indented)", "1 error, 0 warnings, 0 info"]

"""Every kind of mistake, planted at once in a copy of the real sample data, each reported at its place.

This is the issue's acceptance test: one run of `build.py check` lists every
planted mistake with its exact file, line, column and message, nothing else
and exits 1.
Positions are found in the edited text, so the test follows the sample data
when it changes.
"""
from __future__ import annotations

import shutil

from conftest import REPO, TODAY

DATA_FILES = ("site.yaml", "boroughs.yaml", "officers.yaml", "organisations.yaml", "reporting.yaml")
DUE_HINT = "(check the details are still right, then set last_verified to the date you checked them)"
NO_OFFICER_HINT = "(add it to an officer's boroughs, or add 'no_officer: true' to the borough if that is known)"


class Sample:
    """A copy of the sample data with mistakes planted in it."""

    def __init__(self, root):
        self.root = root
        for name in DATA_FILES:
            shutil.copy(REPO / name, root / name)
        shutil.copytree(REPO / "content", root / "content")
        shutil.copytree(REPO / "assets", root / "assets")
        self.texts = {}

    def text(self, name):
        if name not in self.texts:
            self.texts[name] = (self.root / name).read_text(encoding="utf-8")
        return self.texts[name]

    def plant(self, name, old, new):
        text = self.text(name)
        assert text.count(old) == 1, f"{old!r} must occur exactly once in {name}"
        self.texts[name] = text.replace(old, new)

    def at(self, name, needle, within=None):
        """'name:line:col' of needle (searched after `within`, if given), found once every mistake is planted."""
        return lambda: self.find(name, needle, within)

    def find(self, name, needle, within=None):
        text = self.text(name)
        start = text.index(within) if within else 0
        index = text.index(needle, start)
        assert within or text.count(needle) == 1, f"{needle!r} is not unique in {name}"
        line = text.count("\n", 0, index) + 1
        col = index - (text.rfind("\n", 0, index) + 1) + 1
        return f"{name}:{line}:{col}"

    def save(self):
        for name, text in self.texts.items():
            (self.root / name).write_text(text, encoding="utf-8")


def test_every_kind_of_mistake_at_once_in_the_sample_data(tmp_path, run_cli):
    s = Sample(tmp_path)
    expectations = []

    def expect(where, message):
        expectations.append((where, message))

    # --- officers.yaml -----------------------------------------------------------------------------
    s.plant("officers.yaml", "boroughs: [barnet, brent, harrow]", "boroughs: [barnet, brent, harow]")
    expect(s.at("officers.yaml", "harow"), "unknown borough 'harow' (did you mean 'harrow'?)")
    expect(s.at("boroughs.yaml", "harrow", within="- id: harrow"), f"warning: borough 'harrow' has no officer {NO_OFFICER_HINT}")

    s.plant("officers.yaml", "  email: priya.raman@example.org", "  emial: priya.raman@example.org")
    expect(s.at("officers.yaml", "emial"), "unknown field 'emial' in officer 'priya-raman' (did you mean 'email'?)")

    s.plant("officers.yaml", "email: sam.whitfield@example.org", "email: sam.whitfield@example")
    expect(s.at("officers.yaml", "sam.whitfield@example"),
           "'sam.whitfield@example' is not an email address (it should look like name@example.org)")

    s.plant("officers.yaml", 'phone: "020 7946 0267"', 'phone: "020 7946 026"')
    expect(s.at("officers.yaml", '"020 7946 026"'), "'020 7946 026' is not a valid UK phone number "
           "(write a UK number such as 020 7946 0123, or a short number such as 101)")

    s.plant("officers.yaml", "- id: jamie-fraser", "- id: kemi-adebayo")
    expect(s.at("officers.yaml", "kemi-adebayo", within="- id: kemi-adebayo\n  name: Jamie Fraser"),
           lambda: "duplicate officer id 'kemi-adebayo' (it is already used at line "
                   f"{s.find('officers.yaml', 'kemi-adebayo', within='- id: kemi-adebayo').split(':')[1]}: "
                   "give each officer its own id)")

    s.plant("officers.yaml", "- id: hannah-cole", "- id: Hannah Cole")
    expect(s.at("officers.yaml", "Hannah Cole", within="- id: Hannah Cole"),
           "'Hannah Cole' is not a valid id (use lowercase letters, digits and hyphens, e.g. 'hannah-cole')")

    s.plant("officers.yaml", "last_verified: 2026-11-22", "last_verified: 2026-11-32")
    expect(s.at("officers.yaml", "2026-11-32"),
           "'last_verified' is not a date that exists: '2026-11-32' (check the day and the month)")

    s.plant("officers.yaml", "boroughs: [three-rivers, watford]", "boroughs: []")
    expect(s.at("officers.yaml", "[]", within="- id: gareth-lloyd"),
           "officer 'gareth-lloyd' covers no borough (list at least one borough id)")
    expect(s.at("boroughs.yaml", "three-rivers", within="- id: three-rivers"),
           f"warning: borough 'three-rivers' has no officer {NO_OFFICER_HINT}")
    expect(s.at("boroughs.yaml", "watford", within="- id: watford"),
           f"warning: borough 'watford' has no officer {NO_OFFICER_HINT}")

    s.plant("officers.yaml", "  email: nadia.hussain@example.org\n",
            "  email: nadia.hussain@example.org\n  photo: photos/nadia-hussain.jpg\n")
    expect(s.at("officers.yaml", "photos/nadia-hussain.jpg"),
           "photo 'assets/photos/nadia-hussain.jpg' does not exist (check the file name and that the photo is in assets/)")

    s.plant("officers.yaml", "  role: volunteer\n  boroughs: [st-albans, welwyn-hatfield]",
            "  boroughs: [st-albans, welwyn-hatfield]")
    expect(s.at("officers.yaml", "id: ben-carter"),
           "missing required field 'role' in officer 'ben-carter' (add a line 'role: ...')")

    s.plant("officers.yaml", "pronouns: she/her\n  role: volunteer\n  boroughs: [north-hertfordshire, stevenage]",
            "pronouns: [she, her]\n  role: volunteer\n  boroughs: [north-hertfordshire, stevenage]")
    expect(s.at("officers.yaml", "[she, her]"), "'pronouns' must be text, not a list")

    s.plant("officers.yaml", "last_verified: 2026-10-11", "last_verified: 2025-06-23")
    expect(s.at("officers.yaml", "2025-06-23"),
           f"warning: officer 'jo-kaminski' is due for review: last verified 2025-06-23, 527 days ago {DUE_HINT}")

    s.plant("officers.yaml", "last_verified: 2026-11-04", "last_verified: 2027-09-29")
    expect(s.at("officers.yaml", "2027-09-29"), "'last_verified' is in the future: 2027-09-29 "
           "(write the date you last checked these details, as year-month-day)")

    s.plant("officers.yaml", "  rank: PC\n  pronouns: she/her\n  role: volunteer\n  boroughs: [north-hertfordshire]\n",
            "  rank: PC\n  pronouns: she/her\n  role: volunteer\n  rank: Sergeant\n  boroughs: [north-hertfordshire]\n")
    expect(s.at("officers.yaml", "rank: Sergeant\n  boroughs: [north-hertfordshire]"),
           "'rank' appears twice in this record (delete one of them: only the last would be used)")

    # --- boroughs.yaml -----------------------------------------------------------------------------
    s.plant("boroughs.yaml", "- id: brent\n  name: Brent\n  force: metropolitan-police",
            "- id: brent\n  name: Brent\n  force: metropolitan-polise")
    expect(s.at("boroughs.yaml", "metropolitan-polise"),
           "unknown force 'metropolitan-polise' (did you mean 'metropolitan-police'?)")

    s.plant("boroughs.yaml", "neighbours: [bromley, lambeth, merton, sutton]", "neighbours: [bromley, lambeth, merton, suton]")
    expect(s.at("boroughs.yaml", "suton]"), "unknown borough 'suton' (did you mean 'sutton'?)")
    expect(s.at("boroughs.yaml", "croydon", within="- id: sutton"),
           "warning: 'croydon' does not list 'sutton' as a neighbour (add sutton to the neighbours of croydon)")

    s.plant("boroughs.yaml", "postcode_districts: [HA1, HA2, HA3, HA5, HA7, HA8]",
            "postcode_districts: [HA1, HA2, HA3, HA5, HA7, HA8, H4X, HA9 9AA]")
    expect(s.at("boroughs.yaml", "H4X"), "'H4X' is not a UK postcode district (a postcode district is the first half "
           "of a postcode: one or two letters, then one or two digits, e.g. HA1 or NW10)")
    expect(s.at("boroughs.yaml", "HA9 9AA"),
           "'HA9 9AA' is a full postcode, not a postcode district (write only its first half, 'HA9')")

    s.plant("boroughs.yaml", "  neighbours: [barking-and-dagenham, bromley, greenwich, havering]\n  no_officer: true\n",
            "  neighbours: [barking-and-dagenham, bromley, greenwich, havering]\n")
    expect(s.at("boroughs.yaml", "bexley", within="- id: bexley"),
           f"warning: borough 'bexley' has no officer {NO_OFFICER_HINT}")

    # --- organisations.yaml ------------------------------------------------------------------------
    s.plant("organisations.yaml", "website: https://galop.org.uk", "website: javascript:alert(1)")
    expect(s.at("organisations.yaml", "javascript:"), "'website' must be a web address starting with https://, "
           "not a 'javascript:' address (copy the address from the browser's address bar, starting with https://)")

    s.plant("organisations.yaml", "website: https://switchboard.lgbt", "website: data:text/html,hello")
    expect(s.at("organisations.yaml", "data:text"), "'website' must be a web address starting with https://, "
           "not a 'data:' address (copy the address from the browser's address bar, starting with https://)")

    s.plant("organisations.yaml", "website: https://www.stonewall.org.uk", "website: http://www.stonewall.org.uk")
    expect(s.at("organisations.yaml", "http://www.stonewall"),
           "warning: 'website' uses http, which is not secure (use the https:// address if the site has one)")

    s.plant("organisations.yaml", "  boroughs: [greenwich, lewisham]\n", "")
    expect(s.at("organisations.yaml", "metro-charity"),
           "organisation 'metro-charity' has no area (add 'boroughs: [...]' or 'national: true')")

    s.plant("organisations.yaml", "and akt.org.uk.\n  last_verified: 2026-12-02",
            "and akt.org.uk.\n  last_verified: 2025-01-15")
    expect(s.at("organisations.yaml", "2025-01-15"),
           f"warning: organisation 'akt' is due for review: last verified 2025-01-15, 686 days ago {DUE_HINT}")

    s.plant("organisations.yaml", "postcode: N1 9DN", "postcode: N1 9D")
    expect(s.at("organisations.yaml", "N1 9D\n"), "'N1 9D' is not a UK postcode (write the full postcode, e.g. N1 9DN)")

    # --- site.yaml ---------------------------------------------------------------------------------
    s.plant("site.yaml", "exit_url: https://www.bbc.co.uk/weather", "exit_url: www.bbc.co.uk/weather")
    expect(s.at("site.yaml", "www.bbc"),
           "'exit_url' must start with https://, not 'www.bbc.co.uk/weather' (write 'https://www.bbc.co.uk/weather')")

    # --- YAML syntax: a tab in reporting.yaml, an unclosed quote in a page's front matter -----------
    s.plant("reporting.yaml", "  name: Emergency number 999", "\tname: Emergency number 999")
    expect(s.at("reporting.yaml", "\tname"),
           "YAML syntax error: a tab character is not allowed here (indent with spaces, not tabs)")

    s.plant("content/about.md", 'title: "About LGBT+ liaison officers"', 'title: "About LGBT+ liaison officers')
    expect(s.at("content/about.md", '"About'),
           "YAML syntax error: this quoted text is not closed (add the closing quote at its end)")

    s.save()
    expected = [f"{where()}: {message() if callable(message) else message}" for where, message in expectations]
    code, out, err = run_cli("check", "--source", tmp_path, "--today", TODAY.isoformat())
    lines = out.splitlines()
    reported = [line for line in lines[:-1] if ": info: " not in line]
    assert sorted(reported) == sorted(expected)
    assert reported == sorted(reported, key=lambda line: (line.split(":")[0], int(line.split(":")[1]), int(line.split(":")[2])))
    errors = sum(": warning: " not in line for line in expected)
    warnings = len(expected) - errors
    assert lines[-1].startswith(f"{errors} errors, {warnings} warnings, ")
    assert code == 1 and err == ""

    # The shared postcode district planted above is reported as info, at its first claim.
    s.plant("boroughs.yaml", "postcode_districts: [HA1, HA2, HA3, HA5, HA7, HA8, H4X, HA9 9AA]",
            "postcode_districts: [HA1, HA2, HA3, HA5, HA7, HA8, H4X, HA9 9AA, HA0]")
    s.save()
    code, out, _ = run_cli("check", "--source", tmp_path, "--today", TODAY.isoformat(), "--info")
    assert (f"{s.find('boroughs.yaml', 'HA0', within='- id: brent')}: info: postcode district HA0 is in 2 boroughs: "
            "brent, harrow (people who search for it will be asked to choose)") in out.splitlines()

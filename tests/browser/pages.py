"""One page of each kind in the sample site, as (kind, path under the site)."""

PAGE_KINDS = [
    ("home", ""),
    ("borough with officers", "boroughs/harrow/"),
    ("borough without an officer", "boroughs/bexley/"),
    ("officer", "officers/daniel-okafor/"),
    ("volunteer officer reached through 101", "officers/alex-turner/"),
    ("organisations", "organisations/"),
    ("organisation", "organisations/galop/"),
    ("report", "report/"),
    ("content page", "staying-safe-online/"),
    ("postcode districts", "postcodes/"),
    ("events", "events/"),
    ("open data", "open-data/"),
    ("posters", "posters/"),
    ("borough poster", "posters/harrow/"),
    ("reporting centres poster", "posters/reporting-centres/"),
    ("page not found", "404.html"),
]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

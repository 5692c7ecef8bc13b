"""Security headers: a Content-Security-Policy that allows only the site itself.

Every page carries the policy in a <meta> tag, so it holds on any host; the
_headers file gives Netlify and Cloudflare Pages the same policy as real HTTP
headers, plus the directives a <meta> tag cannot carry (frame-ancestors).
Pages have no inline scripts, no inline styles and no style attributes.
"""
from __future__ import annotations

from .vcard import CONTACTS_DIR

CSP_DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
)
HEADER_ONLY_DIRECTIVES = ("frame-ancestors 'none'",)  # ignored in a <meta> tag

META_CSP = "; ".join(CSP_DIRECTIVES)
HEADER_CSP = "; ".join(CSP_DIRECTIVES + HEADER_ONLY_DIRECTIVES)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def files(ctx):
    """_headers, for the hosts that read it: an output of the build (outputs.py)."""
    return {"_headers": headers_file()}


def headers_file():
    """The _headers file (Netlify and Cloudflare Pages syntax)."""
    lines = [
        "# Response headers for Netlify and Cloudflare Pages, written by the generator.",
        "# Other hosts ignore this file; every page also carries the policy in a <meta> tag.",
        "/*",
        f"  Content-Security-Policy: {HEADER_CSP}",
        "  X-Content-Type-Options: nosniff",
        "  Referrer-Policy: no-referrer",
        f"  Permissions-Policy: {PERMISSIONS_POLICY}",
        "  X-Frame-Options: DENY",
        "",
        "# Contact cards, so phones offer to add them to the address book.",
        f"/{CONTACTS_DIR}/*",
        "  Content-Type: text/vcard; charset=utf-8",
        "",
    ]
    return "\n".join(lines).encode("utf-8")

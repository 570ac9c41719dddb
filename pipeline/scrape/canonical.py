"""Canonical URLs: one stable spelling per document, so the same page is never stored twice."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only track clicks; they never select different content.
TRACKING_PARAM = re.compile(
    r"^(utm_[a-z0-9_]+|mkt_tok|fbclid|gclid|gclsrc|dclid|msclkid|yclid|twclid|igshid|mc_cid|mc_eid|"
    r"_ga|_gl|_hsenc|_hsmi|hsctatracking|oly_anon_id|oly_enc_id|vero_id|wickedid|rb_clickid|s_cid|"
    r"cmpid|ncid|taid|smid|sr_share|ito|cid|ref_src|ref_url|spm|share|at_medium|at_campaign)$",
    re.IGNORECASE,
)
DEFAULT_PORTS = {"http": 80, "https": 443}


def canonicalize_url(url: str) -> str:
    """Return the URL with lower-case scheme and host, no default port, fragment or tracking parameters."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host
    if parts.port is not None and parts.port != DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAM.match(k)])
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, query, ""))


def resolve_canonical(page_url: str, canonical_href: str | None) -> str:
    """Return the canonical form of rel=canonical when it is a usable http(s) URL, else of the page URL."""
    if canonical_href:
        target = urljoin(page_url, canonical_href.strip())
        if urlsplit(target).scheme in ("http", "https") and urlsplit(target).hostname:
            return canonicalize_url(target)
    return canonicalize_url(page_url)


def doc_id_for_url(canonical_url: str) -> str:
    """Return the stable doc_id of a web document, derived from its canonical URL."""
    return "web:" + hashlib.sha256(canonical_url.encode("utf-8")).hexdigest()[:24]

"""The security headers every response must carry, and the inline code no page may hold (the
Content-Security-Policy refuses inline scripts and styles, so one left behind breaks a page).
Used by the header tests here and by the URL × role sweep on every response it gets."""

import re

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)


def check_headers(response, url, where=""):
    """`where` names the request in a failure (the URL when empty)."""
    where = where or url
    policy = response.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0], where
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, where
    if response.status_code < 500 and not url.startswith("/api/v1/"):
        assert "style-src 'self';" in policy, where
    assert response["Referrer-Policy"] == "same-origin", where
    assert "camera=()" in response["Permissions-Policy"], where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["X-Frame-Options"] == "DENY", where


def check_no_inline_code(response, url):
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), (url, INLINE_SCRIPT.search(html).group(0))
    assert not HANDLER.search(html), (url, HANDLER.search(html).group(0))
    assert not STYLE_ATTRIBUTE.search(html), (url, STYLE_ATTRIBUTE.search(html).group(0))
    if not url.startswith(("/api/v1/docs/", "/api/v1/redoc/")):  # third-party template, allowed its <style>
        assert not STYLE_ELEMENT.search(html), url

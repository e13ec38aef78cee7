"""Markdown to HTML that is safe to show: Markdown first, then an allowlist sanitiser (nh3),
so raw HTML, event handlers, scripts, frames and javascript: links never reach a page or PDF."""

import markdown
import nh3

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h1", "h2", "h3", "h4",
        "h5", "h6", "hr", "i", "ins", "li", "mark", "ol", "p", "pre", "s", "strong", "sub", "sup", "table",
        "tbody", "td", "th", "thead", "tr", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"align"},
    "th": {"align"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
EXTENSIONS = ["tables", "fenced_code", "def_list", "abbr", "sane_lists"]
# Column alignment as an attribute: the sanitiser drops every style attribute.
EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}


def render_markdown(text: str, *, top_heading: int = 1) -> str:
    """`top_heading` 3 turns "#" into h3 and so on, for text shown under the page's own headings."""
    extensions, configs = EXTENSIONS, EXTENSION_CONFIGS
    if top_heading > 1:
        extensions, configs = [*EXTENSIONS, "toc"], {**EXTENSION_CONFIGS, "toc": {"baselevel": top_heading}}
    html = markdown.markdown(text or "", extensions=extensions, extension_configs=configs)
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )

"""MkDocs hook: resolve the ``.md`` links that code writes while the site is built.

MkDocs rewrites a page's own links to ``.md`` files into site URLs, but not the links in the
output of a ``python exec`` block (markdown-exec renders that output with a Markdown
instance of its own): the models overview and every model page had ``../comparing.md``
left as is, broken on the site. This hook rewrites whatever ``.md`` link is left in a page's
HTML exactly as MkDocs does for the rest, and fails the build on one that names no page.
tests/site/check_links.py then checks every link of the built site.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from mkdocs.exceptions import PluginError

_MD_LINK = re.compile(r'(href=")([^":#?]+\.md)((?:#[^"]*)?")')


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    """Rewrite each ``href="x.md#a"`` left in the page into the page's site URL."""

    def resolve(match: re.Match[str]) -> str:
        link = match.group(2)
        src = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), link))
        target = files.get_file_from_path(src)
        if target is None:
            raise PluginError(f"{page.file.src_uri}: a generated link to {link} names no page")
        return match.group(1) + target.url_relative_to(page.file) + match.group(3)

    return _MD_LINK.sub(resolve, html)

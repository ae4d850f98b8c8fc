"""Check every internal link of a built site: the target file and its #anchor exist.

Usage: ``python tests/site/check_links.py SITE_DIR``. Every ``href`` and ``src`` of every
HTML file is read with :mod:`html.parser`; links to another host (``http:``, ``mailto:``,
``data:``, ...) are not followed. A link to a folder means its ``index.html``. Exits 1 and
lists each broken link (page, link, what is missing) when there is one, 0 otherwise.
"""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    """The links and the ids (anchors) of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src"):
                self.links.append(value)
            elif name == "id" or (name == "name" and tag == "a"):
                self.ids.add(value)


def _target(site: Path, page: Path, link: str) -> tuple[Path, str] | None:
    """The file a link points to and its anchor, or None for a link off the site."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith("//"):
        return None
    path = unquote(parts.path)
    if not path:
        target = page
    elif path.startswith("/"):
        target = site / path.lstrip("/")
    else:
        target = page.parent / path
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target.resolve(), unquote(parts.fragment)


def broken_links(site: Path) -> list[str]:
    """Every broken internal link of the site under ``site``, as readable lines."""
    site = site.resolve()
    pages: dict[Path, _Page] = {}
    for html in sorted(site.rglob("*.html")):
        parser = _Page()
        parser.feed(html.read_text(encoding="utf-8"))
        pages[html.resolve()] = parser
    problems: list[str] = []
    for page, parsed in pages.items():
        for link in parsed.links:
            found = _target(site, page, link)
            if found is None:
                continue
            target, anchor = found
            where = page.relative_to(site)
            if not target.is_file():
                problems.append(f"{where}: {link} -> no file {target}")
            elif anchor and target.suffix == ".html":
                ids = pages[target].ids if target in pages else set()
                if anchor not in ids:
                    problems.append(f"{where}: {link} -> no #{anchor} in {target.name}")
    return problems


def main(argv: list[str]) -> int:
    """Check the site named on the command line; print each broken link."""
    if len(argv) != 1:
        print("usage: check_links.py SITE_DIR", file=sys.stderr)
        return 2
    site = Path(argv[0])
    if not (site / "index.html").is_file():
        print(f"check_links: no index.html in {site}", file=sys.stderr)
        return 2
    problems = broken_links(site)
    for line in problems:
        print(line)
    n_pages = sum(1 for _ in site.rglob("*.html"))
    print(f"check_links: {n_pages} pages, {len(problems)} broken internal links")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

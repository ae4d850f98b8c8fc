"""Check that the glossary's Chinese terms are words of the built site's search index.

Usage: ``python tests/site/check_search.py SITE_DIR``. Material's search (lunr) finds a term
only when the index holds it as a word of its own: jieba cuts Chinese text with ``\\u200b``
(mkdocs.yml, ``plugins: search``). Each term below must be a word of the 699 page.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

TERMS = ("滑落", "帮扶基金", "商品成本", "见点")
PAGE = "concepts/liandong-699/"
_SEPARATOR = re.compile(r"[\s\u200b\-]+")


def missing_terms(site: Path) -> list[str]:
    """The terms that are not a word of the 699 page's indexed text."""
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    words: set[str] = set()
    for doc in index["docs"]:
        if doc["location"].split("#")[0] == PAGE:
            words.update(_SEPARATOR.split(doc["title"] + " " + doc["text"]))
    return [term for term in TERMS if term not in words]


def main(argv: list[str]) -> int:
    """Check the site named on the command line."""
    if len(argv) != 1:
        print("usage: check_search.py SITE_DIR", file=sys.stderr)
        return 2
    missing = missing_terms(Path(argv[0]))
    for term in missing:
        print(f"check_search: {term} is not a word of {PAGE} in the search index")
    print(f"check_search: {len(TERMS) - len(missing)} of {len(TERMS)} terms indexed on {PAGE}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

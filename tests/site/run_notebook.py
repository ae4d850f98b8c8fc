"""Execute a notebook with nbclient and check that its results display as HTML.

Usage: ``python tests/site/run_notebook.py examples/notebook.ipynb``. Every cell runs in a
fresh kernel (an error fails the run, naming the cell); then each cell tagged ``html`` in
its metadata (a cell whose last line is a result with ``_repr_html_``) must have a
``text/html`` output, and each cell tagged ``image`` (a chart) an ``image/png`` or
``image/svg+xml`` one (bizmodels' figures display inline without pyplot). Prints the counts
and exits 1 when one is missing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any


def _tagged(notebook: Any, tag: str) -> list[int]:
    return [
        i
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and tag in cell.get("metadata", {}).get("tags", [])
    ]


def _lacking(notebook: Any, cells: list[int], mimetypes: tuple[str, ...]) -> list[int]:
    return [
        i
        for i in cells
        if not any(
            m in output.get("data", {}) for output in notebook.cells[i].outputs for m in mimetypes
        )
    ]


def missing_outputs(path: Path) -> tuple[int, list[int], int, list[int]]:
    """Run the notebook; the tagged cells (HTML, then charts) and those lacking their output."""
    # imported here: the main test run collects this file without the browser extra
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3").execute(cwd=str(path.parent))
    html, images = _tagged(notebook, "html"), _tagged(notebook, "image")
    return (
        len(html),
        _lacking(notebook, html, ("text/html",)),
        len(images),
        _lacking(notebook, images, ("image/png", "image/svg+xml")),
    )


def main(argv: list[str]) -> int:
    """Run the notebook named on the command line."""
    if len(argv) != 1:
        print("usage: run_notebook.py NOTEBOOK", file=sys.stderr)
        return 2
    n_html, no_html, n_images, no_image = missing_outputs(Path(argv[0]))
    for i in no_html:
        print(f"run_notebook: cell {i} shows no text/html output")
    for i in no_image:
        print(f"run_notebook: cell {i} (a chart) shows no image, only text")
    print(
        f"run_notebook: {argv[0]} ran; {n_html - len(no_html)} of {n_html} HTML outputs, "
        f"{n_images - len(no_image)} of {n_images} charts"
    )
    return 1 if no_html or no_image or n_html == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

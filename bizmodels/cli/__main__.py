"""``python -m bizmodels.cli``: the ``bizmodels`` command."""

import sys

from bizmodels.cli import main

__all__: list[str] = []

if __name__ == "__main__":  # importing this module (e.g. to list modules) runs nothing
    sys.exit(main())

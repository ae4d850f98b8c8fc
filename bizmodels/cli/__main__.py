"""``python -m bizmodels.cli``: the ``bizmodels`` command."""

import sys

from bizmodels.cli import main

sys.exit(main())

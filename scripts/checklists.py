"""Export every checklist for CI or a maintainer: ``python scripts/checklists.py --format csv``.

The same as ``playbook checklists``; it exists so CI can call a script by path.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playbook.cli import main

sys.exit(main(["checklists", *sys.argv[1:]]))

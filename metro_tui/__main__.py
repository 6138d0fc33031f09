import sys

from metro_tui.cli import main

sys.exit(main())

import sys

from unionclean.cli import main

sys.exit(main())

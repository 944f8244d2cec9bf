"""`python -m simulator`: run the Mimecast simulator until Ctrl-C."""

from simulator.cli import main

raise SystemExit(main())

"""`python -m app.datafile FILE [--rate HZ]`: load a file as the server would (see app.datafile.main)."""

from . import main

raise SystemExit(main())

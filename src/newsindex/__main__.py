"""`python -m newsindex`."""

from newsindex.cli import main

main()

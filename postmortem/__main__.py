"""`python -m postmortem`."""

from postmortem.entry import main

main()

"""Management commands of the `ceasefire` command line (see commands/)."""

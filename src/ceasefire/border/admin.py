"""Border data is not edited in the admin: declarations, flows and claims are records of what parties said, and
change only through services.py (with their log entries). The crossing registry itself is in geo's admin."""

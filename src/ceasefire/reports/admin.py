"""Reports and publications are not edited in the admin: a publication is the secretariat's act and a report an
archived document, each with its log entry, and both change only through services.py."""

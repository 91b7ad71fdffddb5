"""Django admin: nothing of ingest/ is registered.

External events and import runs are reference data for members of the mechanism, and ACLED's rows may not leave
it; a system administrator holds no membership, so the admin shows them nothing (DESIGN.md: no read access by being
an admin). Events change only through imports, correlation links only through investigators' decisions.
"""

"""A C2SP tlog-witness v1.0.0 witness: what each party runs to check and cosign the mechanism's log.

It needs no database and no Django: `state.py` keeps the latest cosigned (size, root) per origin in one JSON
file, `server.py` answers `POST /add-checkpoint`.
"""

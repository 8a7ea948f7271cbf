"""Results feeds: reading (pure: one module per source format, each value checked), applying, watching.

read.py picks the format; ballots.py is what every format reads into; apply.py writes through the
services; watch.py follows a folder or a URL; party_book.py knows the parties by every id feeds use.
"""

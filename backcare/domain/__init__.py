"""The clinical core: pure functions over validated values.

Nothing here imports Django, reads the clock, touches the network or the database, or draws random
numbers. The one kind of file it reads is its own reviewed content (``content/*.toml``), which ships
inside the package and never changes at run time.
"""

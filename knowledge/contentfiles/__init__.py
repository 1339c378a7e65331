"""The knowledge as reviewed files (content/README.md): `read` checks them into plain
data, `load` makes the database hold that data, `dump` writes the database back as files."""

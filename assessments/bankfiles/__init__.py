"""The question bank as reviewed files (content/README.md, "Question bank"): `read` checks
them against the knowledge in the database into plain data, `load` writes that data in one
transaction, `dump` writes the database back as files."""

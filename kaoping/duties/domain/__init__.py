"""Verbs of the responsibility lists (责任清单): templates and holders, the year's cycle,
the content hash, progress notes and verification. Views call these; none writes rows itself."""

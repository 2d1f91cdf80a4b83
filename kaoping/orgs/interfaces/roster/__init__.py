"""Roster (名册) import and export in xlsx: columns, reader, importer, writer."""

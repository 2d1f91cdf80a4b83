"""Demo data for `kaoping demo`: three organization trees from the seed documents and one
account per role. `data` holds the values (no database), `loader` writes and removes them."""

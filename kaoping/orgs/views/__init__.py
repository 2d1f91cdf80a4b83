"""Organization pages: browsing (`browse`), editing (`edit`) and rosters (`roster`)."""

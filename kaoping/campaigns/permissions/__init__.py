"""Campaign predicates, one module per area; `kaoping.campaigns.rules` registers them all."""

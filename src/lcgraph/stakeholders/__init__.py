"""The build's stakeholders step: organisations reconciled across sources, and what is inferred about them."""

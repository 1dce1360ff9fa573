"""The stakeholders step: organisations reconciled across sources, and what is inferred."""

"""The page model: what a page about a resource shows, and where each page and twin lives.

Below `web` (which renders and serves the pages) and `publish` (which writes them as a static
site). Modules: `urls` (the URL grammar), `describe` (a resource's statements, stated and
inferred), `view` (the template context), `terms` (ontology terms and concept schemes),
`profile` (an organisation's or project's facts with their sources, from `datasets`),
`labels` (+ labels.ttl: other vocabularies' labels in every page language), `numbers`
(numbers as a page shows them), `twins` (the RDF twins' bytes), `dataset` (the dataset's
title, description and statistics).
"""

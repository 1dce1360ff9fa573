"""The releases: the data files of a release, the kept history and the changes between releases.

Below `web` (which serves /dumps and /changes from them) and `publish` (which writes a
release). Modules: `dumps` (a release's data files), `history` (the releases kept),
`delta` (what changed from one release to the next), `changelog` (the kept releases'
changes, read once), `feed` (the change feed), `history_graph` (the history in the
provenance graph, written by the build).
"""

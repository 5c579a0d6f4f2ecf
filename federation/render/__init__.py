"""Outbound ActivityPub documents, built by pure functions from rows and precomputed facts:
no queries, no network. One module per family: actors, notes, collections."""

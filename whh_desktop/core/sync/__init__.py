"""Sync between the sites and the district office: signed, encrypted bundles (DESIGN.md §4, §5, §10).

``crypto`` holds the primitives (hybrid HPKE, AES-256-GCM, Ed25519), ``bundle`` the file format; the keys live
in the sync_keys service (``services/sync_keys.py``).
"""

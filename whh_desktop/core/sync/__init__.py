"""Sync between the sites and the district office: signed, encrypted bundles (DESIGN.md §4, §5, §10).

``crypto`` holds the primitives (hybrid HPKE, AES-256-GCM, Ed25519); ``bundle`` the file format, with its header
(``bundle_header``), key material (``bundle_keys``) and refusal reasons (``errors``); the keys live in
the sync_keys service. ``payload`` is the content: ``payload_schema`` (what it may hold),
``payload_codec`` and ``payload_stream`` (rows and bytes), ``payload_rules`` and ``payload_pseudonyms`` (the checks
at the trust boundary). ``exporter`` builds it (``export_selection``, ``pseudonym_records``, the consent gate,
``export_handovers``; ``district_export`` for the sites) and ``importer`` applies it (``import_ownership``,
``import_pseudonyms``); ``ledger`` records what arrived.
"""

"""Funnel variants over one shared base: ordered (loose) and strict, exclusions, breakdowns.

``base`` cuts events into moments; ``ordered`` and ``strict`` find each customer's counted
attempt; ``result`` turns those into per-step figures. The public entry is
:func:`journeymap.analytics.funnel.funnel`.
"""

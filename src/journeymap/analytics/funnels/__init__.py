"""Funnel variants over one shared base.

``spec`` validates what is asked; ``base`` cuts events into moments (what one timestamp lets an
attempt do) and picks each customer's counted attempt; ``ordered`` and ``strict`` walk the
attempts; ``exclusions`` voids attempts; ``result`` turns per-customer outcomes into per-step
figures (counts, rates, time to convert, breakdown groups). The public entry is
:func:`journeymap.analytics.funnel.funnel`.
"""

"""Spend per channel from a CSV file, and the cost per acquisition and ROAS it gives a model.

The file has a header with at least ``channel`` and ``spend`` columns (other columns are
ignored); several rows of one channel (campaigns, months) add up.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from journeymap.analytics.attribution.result import AttributionResult

SPEND_COLUMNS: tuple[str, ...] = ("channel", "spend")


class SpendError(ValueError):
    """A spend file that cannot be used."""


@dataclass(frozen=True)
class ChannelEfficiency:
    """Spend against credit: cost per acquisition (spend / conversions) and ROAS (value / spend).

    Either is ``None`` when its divisor is zero.
    """

    channel: str
    spend: float
    conversions: float
    value: float

    @property
    def cpa(self) -> float | None:
        """Cost per attributed conversion."""
        return self.spend / self.conversions if self.conversions > 0 else None

    @property
    def roas(self) -> float | None:
        """Attributed value per unit of spend."""
        return self.value / self.spend if self.spend > 0 else None


def read_spend(path: str | Path) -> dict[str, float]:
    """Spend per channel from the CSV file at ``path``; errors name the file, line and column."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [name.strip() for name in reader.fieldnames or []]
            missing = [c for c in SPEND_COLUMNS if c not in header]
            if missing:
                raise SpendError(f"{path}: missing column(s): {', '.join(missing)}")
            reader.fieldnames = header
            spend: dict[str, float] = {}
            for line, row in enumerate(reader, start=2):
                channel = (row["channel"] or "").strip()
                if not channel:
                    raise SpendError(f"{path}:{line}: column 'channel' is empty")
                text = (row["spend"] or "").strip()
                try:
                    amount = float(text)
                except ValueError:
                    raise SpendError(
                        f"{path}:{line}: column 'spend' must be a number, not {text!r}"
                    ) from None
                if amount < 0:
                    raise SpendError(f"{path}:{line}: column 'spend' is negative ({amount})")
                spend[channel] = spend.get(channel, 0.0) + amount
    except OSError as exc:
        raise SpendError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    return spend


def efficiency(result: AttributionResult, spend: dict[str, float]) -> list[ChannelEfficiency]:
    """CPA and ROAS of every channel with credit or spend, under ``result``'s model."""
    channels = sorted({c.channel for c in result.credits} | set(spend))
    return [
        ChannelEfficiency(
            channel=channel,
            spend=spend.get(channel, 0.0),
            conversions=result.credit(channel).conversions,
            value=result.credit(channel).value,
        )
        for channel in channels
    ]

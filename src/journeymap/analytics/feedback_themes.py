"""Themes in free-text survey comments, and the top reasons for abandoning a purchase.

Themes per touchpoint (or stage): TF-IDF over the comments, with English, Polish and Russian stop
words (shipped as ``stopwords/<lang>.txt``), factorised by NMF. **The number of themes**: for each k
in 2..``max_themes`` (and below the number of comments) each comment goes to its strongest NMF
theme and the mean silhouette of that assignment is measured (cosine distance on the TF-IDF
vectors); the chosen k is the smallest whose silhouette is at least 95% of the best one (fewer,
broader themes when more themes separate the comments hardly better). A group with fewer than
``min_comments`` comments, or where no k separates the comments (silhouette <= 0), is one theme.
Each theme has its top terms and its most representative comments (the highest NMF weight among
the comments it is the strongest theme of). NMF is seeded: the same comments give the same themes.

The comments are pulled from the engine (text mining runs in scikit-learn); the reasons for
abandoning and the negative comments are counted in the engine.

**Negative comments** (:func:`negative_comments`): a comment is negative when the response that
carries it has a low score: CSAT 1-2, NPS 0-6 (a detractor) or CES 1-3. The customer's own rating
labels the comment, in any language; a word list would misread negation ("not bad"), irony and
the inflected forms of Polish and Russian. Comments on responses without any score have no label
and are left out of the counts.
"""

from __future__ import annotations

import functools
import re
import warnings
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

import ibis
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score

from journeymap.data.surveys import SurveyResponses

Language = Literal["auto", "en", "pl", "ru"]
LANGUAGES: tuple[str, ...] = ("en", "pl", "ru")
MIN_COMMENTS = 6
PARSIMONY = 0.95  # the fewest themes whose silhouette is within 5% of the best
_TOKEN = r"(?u)\b[^\W\d_]{2,}\b"
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_POLISH_LETTERS = re.compile(r"[ąćęłńóśźż]", re.IGNORECASE)


@functools.cache
def stop_words(language: str) -> frozenset[str]:
    """The shipped stop word list of ``language`` (``en``, ``pl`` or ``ru``)."""
    if language not in LANGUAGES:
        raise ValueError(f"no stop words for {language!r}; expected one of {', '.join(LANGUAGES)}")
    text = resources.files("journeymap.analytics").joinpath(f"stopwords/{language}.txt")
    lines = text.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


def detect_language(comments: list[str]) -> str:
    """``ru`` for mostly Cyrillic text, ``pl`` when Polish letters or stop words dominate, else
    ``en``."""
    text = " ".join(comments)
    letters = sum(ch.isalpha() for ch in text) or 1
    if len(_CYRILLIC.findall(text)) / letters > 0.3:
        return "ru"
    words = re.findall(_TOKEN, text.lower())
    polish = sum(w in stop_words("pl") for w in words) + 3 * len(_POLISH_LETTERS.findall(text))
    english = sum(w in stop_words("en") for w in words)
    return "pl" if polish > english else "en"


@dataclass(frozen=True)
class Theme:
    """One theme: its top terms, how many comments it is the strongest theme of, examples."""

    terms: tuple[str, ...]
    comments: int
    share: float
    examples: tuple[str, ...]

    @property
    def label(self) -> str:
        """The first three terms, as a short name."""
        return ", ".join(self.terms[:3])


@dataclass(frozen=True)
class GroupThemes:
    """The themes of the comments of one touchpoint (or stage)."""

    key: str | None
    language: str
    comments: int
    themes: tuple[Theme, ...]
    silhouette: float | None  # of the chosen number of themes (None when one theme)


@dataclass(frozen=True)
class FeedbackThemesResult:
    """Themes per group of comments."""

    by: str | None
    groups: tuple[GroupThemes, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per theme: group, language, theme number, label, terms, counts, examples."""
        rows = [
            {
                self.by or "group": g.key,
                "language": g.language,
                "theme": n,
                "label": t.label,
                "terms": list(t.terms),
                "comments": t.comments,
                "share": t.share,
                "examples": list(t.examples),
            }
            for g in self.groups
            for n, t in enumerate(g.themes, start=1)
        ]
        columns = [self.by or "group", "language", "theme", "label", "terms", "comments"]
        return pd.DataFrame(rows, columns=[*columns, "share", "examples"])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "by": self.by,
            "groups": [
                {
                    "key": g.key,
                    "language": g.language,
                    "comments": g.comments,
                    "silhouette": g.silhouette,
                    "themes": [
                        {
                            "label": t.label,
                            "terms": list(t.terms),
                            "comments": t.comments,
                            "share": t.share,
                            "examples": list(t.examples),
                        }
                        for t in g.themes
                    ],
                }
                for g in self.groups
            ],
        }

    def figure(self) -> go.Figure:
        """Horizontal bars: comments per theme, grouped by touchpoint."""
        labels = [f"{g.key or 'all'}: {t.label}" for g in self.groups for t in g.themes]
        counts = [t.comments for g in self.groups for t in g.themes]
        fig = go.Figure(go.Bar(x=counts[::-1], y=labels[::-1], orientation="h"))
        fig.update_layout(
            title="Comment themes", xaxis={"title": "comments"}, yaxis={"automargin": True}
        )
        return fig


def feedback_themes(
    responses: SurveyResponses,
    *,
    by: str | None = "touchpoint",
    column: str = "comment",
    language: Language = "auto",
    max_themes: int = 6,
    top_terms: int = 8,
    examples: int = 3,
    min_comments: int = MIN_COMMENTS,
    seed: int = 0,
) -> FeedbackThemesResult:
    """Themes of the ``column`` texts per ``by`` group (None: all comments together).

    ``language`` picks the stop words; ``auto`` detects it per group (:func:`detect_language`).
    See the module docstring for the rule that picks the number of themes.
    """
    if max_themes < 1:
        raise ValueError(f"max_themes must be at least 1, not {max_themes}")
    if language != "auto" and language not in LANGUAGES:
        raise ValueError(f"language must be auto or one of {', '.join(LANGUAGES)}")
    table = responses.table
    for name in (column, *([by] if by else [])):
        if name not in table.columns:
            raise ValueError(f"{responses.source}: the responses have no {name!r} column")
    text = table[column].cast("string").strip()
    keys = {"key": table[by].cast("string")} if by else {}
    frame = table.filter(text.notnull() & (text != "")).select(**keys, text=text).to_pandas()
    if not by:
        frame["key"] = None
    groups = []
    for key, part in sorted(
        frame.groupby("key", dropna=False), key=lambda kv: (pd.isna(kv[0]), str(kv[0]))
    ):
        comments = [str(c) for c in part["text"]]
        lang = detect_language(comments) if language == "auto" else language
        groups.append(
            _group_themes(
                None if pd.isna(key) else str(key),
                comments,
                lang,
                max_themes=max_themes,
                top_terms=top_terms,
                examples=examples,
                min_comments=min_comments,
                seed=seed,
            )
        )
    return FeedbackThemesResult(by=by, groups=tuple(groups))


def _group_themes(
    key: str | None,
    comments: list[str],
    language: str,
    *,
    max_themes: int,
    top_terms: int,
    examples: int,
    min_comments: int,
    seed: int,
) -> GroupThemes:
    vectorizer = TfidfVectorizer(
        lowercase=True,
        token_pattern=_TOKEN,
        stop_words=sorted(stop_words(language)),
        sublinear_tf=True,
        min_df=1,
    )
    try:
        matrix = vectorizer.fit_transform(comments)
    except ValueError:  # only stop words: nothing to group by
        return GroupThemes(key, language, len(comments), (), None)
    terms = vectorizer.get_feature_names_out()
    fits: dict[int, tuple[float, tuple[np.ndarray, np.ndarray]]] = {}
    if len(comments) >= min_comments:
        for k in range(2, min(max_themes, len(comments) - 1, len(terms)) + 1):
            weights, components = _factorise(matrix, k, seed)
            labels = weights.argmax(axis=1)
            if len(set(labels)) < 2:
                continue
            score = float(silhouette_score(matrix, labels, metric="cosine"))
            if score > 0:
                fits[k] = (score, (weights, components))
    if fits:
        highest = max(score for score, _ in fits.values())
        best_k = min(k for k, (score, _) in fits.items() if score >= PARSIMONY * highest)
        best_score, best = fits[best_k]
    else:
        best_k, best_score, best = 1, None, _factorise(matrix, 1, seed)
    weights, components = best
    labels = weights.argmax(axis=1)
    themes = []
    for topic in range(best_k):
        members = np.flatnonzero(labels == topic)
        if members.size == 0:
            continue
        order = members[np.argsort(-weights[members, topic], kind="stable")]
        top = np.argsort(-components[topic], kind="stable")[:top_terms]
        themes.append(
            Theme(
                terms=tuple(str(terms[i]) for i in top if components[topic, i] > 0),
                comments=int(members.size),
                share=members.size / len(comments),
                examples=tuple(comments[i] for i in order[:examples]),
            )
        )
    themes.sort(key=lambda t: (-t.comments, t.terms))
    return GroupThemes(key, language, len(comments), tuple(themes), best_score)


def _factorise(matrix: Any, k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=500)
    with warnings.catch_warnings():
        # Tiny or duplicated corpora converge slowly or hit 0/0 in the loss; the factors are kept.
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        weights = model.fit_transform(matrix)
    return weights, model.components_


@dataclass(frozen=True)
class AbandonReason:
    """One reason for abandoning, how many gave it and their share of all reasons given."""

    reason: str
    count: int
    share: float


@dataclass(frozen=True)
class AbandonReasonsResult:
    """The most common reasons for abandoning a purchase."""

    total: int  # responses that gave a reason
    reasons: tuple[AbandonReason, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per reason: rank, reason, count, share."""
        rows = [
            {"rank": n, "reason": r.reason, "count": r.count, "share": r.share}
            for n, r in enumerate(self.reasons, start=1)
        ]
        return pd.DataFrame(rows, columns=["rank", "reason", "count", "share"])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "total": self.total,
            "reasons": [
                {"reason": r.reason, "count": r.count, "share": r.share} for r in self.reasons
            ],
        }

    def figure(self) -> go.Figure:
        """Horizontal bars of the reasons, the most common on top."""
        fig = go.Figure(
            go.Bar(
                x=[r.count for r in self.reasons][::-1],
                y=[r.reason for r in self.reasons][::-1],
                orientation="h",
            )
        )
        fig.update_layout(title="Top reasons for abandoning", yaxis={"automargin": True})
        return fig


def abandonment_reasons(
    responses: SurveyResponses, *, column: str = "abandon_reason", top: int = 10
) -> AbandonReasonsResult:
    """The ``top`` reasons for abandoning, counted case- and space-insensitively in the engine.

    Each reason is shown in its alphabetically first spelling; ties in count rank by that text.
    """
    table = responses.table
    if column not in table.columns:
        raise ValueError(f"{responses.source}: the responses have no {column!r} column")
    text = table[column].cast("string").strip()
    given = table.filter(text.notnull() & (text != "")).select(
        text=text.re_replace(r"\s+", " "), norm=text.re_replace(r"\s+", " ").lower()
    )
    counted = given.group_by("norm").aggregate(reason=given.text.min(), count=given.count())
    rows = counted.order_by([counted["count"].desc(), counted.reason]).to_pyarrow().to_pylist()
    total = sum(int(r["count"]) for r in rows)
    reasons = tuple(
        AbandonReason(str(r["reason"]), int(r["count"]), int(r["count"]) / total)
        for r in rows[:top]
    )
    return AbandonReasonsResult(total=total, reasons=reasons)


@dataclass(frozen=True)
class CommentSentiment:
    """The scored comments of one touchpoint (or stage) and how many of them are negative."""

    key: str | None
    comments: int  # comments on responses with a score
    negative: int  # of them, on a response with a low score
    examples: tuple[str, ...]  # the most frequent negative comments

    @property
    def share(self) -> float | None:
        """``negative / comments``."""
        return self.negative / self.comments if self.comments else None


@dataclass(frozen=True)
class NegativeCommentsResult:
    """Negative comments per group, most negative comments first."""

    by: str | None
    groups: tuple[CommentSentiment, ...]

    def to_frame(self) -> pd.DataFrame:
        """One row per group: key, comments, negative, share, examples."""
        rows = [
            {
                self.by or "group": g.key,
                "comments": g.comments,
                "negative": g.negative,
                "share": g.share,
                "examples": list(g.examples),
            }
            for g in self.groups
        ]
        columns = [self.by or "group", "comments", "negative", "share", "examples"]
        return pd.DataFrame(rows, columns=columns)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "by": self.by,
            "groups": [
                {
                    "key": g.key,
                    "comments": g.comments,
                    "negative": g.negative,
                    "share": g.share,
                    "examples": list(g.examples),
                }
                for g in self.groups
            ],
        }


def negative_score(table: ibis.Table) -> ibis.BooleanValue:
    """True on responses with a low score: CSAT 1-2, NPS 0-6 or CES 1-3."""
    return (
        (table.csat <= 2).fill_null(False)
        | (table.nps <= 6).fill_null(False)
        | (table.ces <= 3).fill_null(False)
    )


def negative_comments(
    responses: SurveyResponses,
    *,
    by: str | None = "touchpoint",
    column: str = "comment",
    examples: int = 3,
) -> NegativeCommentsResult:
    """Per ``by`` group: the comments on scored responses and how many are negative (see the
    module docstring), with the ``examples`` most frequent negative comments (ties by text)."""
    table = responses.table
    for name in (column, *([by] if by else [])):
        if name not in table.columns:
            raise ValueError(f"{responses.source}: the responses have no {name!r} column")
    text = table[column].cast("string").strip()
    scored = table.csat.notnull() | table.nps.notnull() | table.ces.notnull()
    rows = table.filter(text.notnull() & (text != "") & scored).select(
        key=table[by].cast("string") if by else ibis.literal(None, type="string"),
        text=text,
        negative=negative_score(table),
    )
    counts = (
        rows.group_by("key")
        .agg(comments=rows.count(), negative=rows.negative.cast("int64").sum())
        .to_pyarrow()
        .to_pylist()
    )
    bad = rows.filter(rows.negative)
    texts = bad.group_by(["key", "text"]).agg(n=bad.count()).to_pyarrow().to_pylist()
    texts.sort(key=lambda r: (-int(r["n"]), str(r["text"])))
    shown: dict[str | None, list[str]] = {}
    for r in texts:
        picked = shown.setdefault(r["key"], [])
        if len(picked) < examples:
            picked.append(str(r["text"]))
    groups = [
        CommentSentiment(
            key=r["key"],
            comments=int(r["comments"]),
            negative=int(r["negative"] or 0),
            examples=tuple(shown.get(r["key"], ())),
        )
        for r in counts
    ]
    groups.sort(key=lambda g: (-g.negative, -g.comments, g.key is None, g.key or ""))
    return NegativeCommentsResult(by=by, groups=tuple(groups))

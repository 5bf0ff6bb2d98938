"""Default channel grouping: GA4's default channel group rules as one Ibis case expression.

The rules follow Google Analytics 4's published definitions ("[GA4] Default channel group"), in
their order: the first matching channel wins, and matching ignores case. GA4 matches sources
against Google's internal lists of search, social, video and shopping sites; here those lists are
the well-known sites below, matched with an optional ``www.``/``m.``/``l.`` style prefix and a
country or top-level domain suffix (``google``, ``www.google.co.uk`` and ``m.facebook.com`` all
match).
"""

from __future__ import annotations

import re
from typing import cast

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

DIRECT = "Direct"
CROSS_NETWORK = "Cross-network"
PAID_SHOPPING = "Paid Shopping"
PAID_SEARCH = "Paid Search"
PAID_SOCIAL = "Paid Social"
PAID_VIDEO = "Paid Video"
DISPLAY = "Display"
PAID_OTHER = "Paid Other"
ORGANIC_SHOPPING = "Organic Shopping"
ORGANIC_SOCIAL = "Organic Social"
ORGANIC_VIDEO = "Organic Video"
ORGANIC_SEARCH = "Organic Search"
REFERRAL = "Referral"
EMAIL = "Email"
AFFILIATES = "Affiliates"
AUDIO = "Audio"
SMS = "SMS"
MOBILE_PUSH = "Mobile Push Notifications"
UNASSIGNED = "Unassigned"

CHANNEL_GROUPS: tuple[str, ...] = (
    DIRECT,
    CROSS_NETWORK,
    PAID_SHOPPING,
    PAID_SEARCH,
    PAID_SOCIAL,
    PAID_VIDEO,
    DISPLAY,
    PAID_OTHER,
    ORGANIC_SHOPPING,
    ORGANIC_SOCIAL,
    ORGANIC_VIDEO,
    ORGANIC_SEARCH,
    REFERRAL,
    EMAIL,
    AFFILIATES,
    AUDIO,
    SMS,
    MOBILE_PUSH,
    UNASSIGNED,
)

SEARCH_SITES: tuple[str, ...] = (
    "google", "bing", "yahoo", "baidu", "yandex", "duckduckgo", "ecosia", "naver", "seznam",
    "ask", "aol", "startpage", "qwant", "sogou", "so.com", "daum", "msn", "search.brave",
    "yahoo.co.jp", "onet", "mail.ru", "rambler", "coccoc", "dogpile", "lycos", "webcrawler",
    "info", "kvasir", "virgilio", "biglobe", "goo.ne.jp", "nifty", "avg", "alice", "tut.by",
    "perplexity", "you.com",
)  # fmt: skip
SOCIAL_SITES: tuple[str, ...] = (
    "facebook", "fb", "instagram", "linkedin", "lnkd.in", "twitter", "t.co", "x.com", "pinterest",
    "reddit", "snapchat", "tumblr", "quora", "vk", "ok.ru", "odnoklassniki", "weibo", "wechat",
    "whatsapp", "telegram", "t.me", "threads.net", "mastodon.social", "discord", "meetup", "line",
    "messenger", "nextdoor", "xing", "slideshare", "medium", "yelp", "tripadvisor", "flickr",
    "deviantart", "goodreads", "stackoverflow", "stackexchange", "producthunt", "news.ycombinator",
    "glassdoor", "bsky.app", "douban", "qzone", "kakao", "blogger", "wordpress", "disqus",
    "tiktok",
)  # fmt: skip
VIDEO_SITES: tuple[str, ...] = (
    "youtube", "youtu.be", "vimeo", "twitch", "dailymotion", "netflix", "hulu", "wistia",
    "youku", "bilibili", "iqiyi", "ted", "crackle", "disneyplus", "primevideo", "rutube",
    "nicovideo", "veoh", "rumble",
)  # fmt: skip
SHOPPING_SITES: tuple[str, ...] = (
    "amazon", "ebay", "etsy", "shopify", "walmart", "alibaba", "aliexpress", "shopping.google",
    "google shopping", "mercadolibre", "mercadolivre", "rakuten", "target", "zalando", "allegro",
    "wish", "temu", "shein", "flipkart", "idealo", "pricerunner", "shopzilla", "stripe",
    "checkout.stripe", "shop.app", "igshopping",
)  # fmt: skip

PAID_MEDIUM = r"^(.*cp.*|ppc|retargeting|paid.*)$"
SHOPPING_CAMPAIGN = r"^(.*(([^a-df-z]|^)shop|shopping).*)$"
DISPLAY_MEDIUMS = ("display", "banner", "expandable", "interstitial", "cpm")
SOCIAL_MEDIUMS = (
    "social",
    "social-network",
    "social-media",
    "sm",
    "social network",
    "social media",
)
REFERRAL_MEDIUMS = ("referral", "app", "link")
EMAIL_VALUES = ("email", "e-mail", "e_mail", "e mail")

# Where the traffic fields are found: the first column present, else these keys of properties.
SOURCE_FIELDS = ("source", "utm_source")
MEDIUM_FIELDS = ("medium", "utm_medium")
CAMPAIGN_FIELDS = ("campaign", "utm_campaign")


def site_pattern(sites: tuple[str, ...]) -> str:
    """A regex matching a source that names one of ``sites`` (with a subdomain and TLD or not)."""
    names = "|".join(re.escape(site) for site in sites)
    return rf"^((www|m|l|lm|mobile|search|touch|mbasic)\.)?({names})(\.[a-z]{{2,6}}){{0,2}}$"


_SEARCH = site_pattern(SEARCH_SITES)
_SOCIAL = site_pattern(SOCIAL_SITES)
_VIDEO = site_pattern(VIDEO_SITES)
_SHOPPING = site_pattern(SHOPPING_SITES)


def default_channel(
    source: ir.Value | None,
    medium: ir.Value | None,
    campaign: ir.Value | None = None,
) -> ir.StringValue:
    """GA4's default channel group of each row, from its source, medium and campaign name.

    Missing (null or empty) source and medium count as GA4's ``(direct)`` / ``(none)``; a missing
    campaign as no campaign. Values are compared in lower case, untrimmed, as GA4 does. Pass
    ``None`` for a field the data does not have. Over large tables prefer
    :func:`add_default_channel`, which runs the site lists once per distinct combination.
    """
    src, med, camp = _clean(source, "(direct)"), _clean(medium, "(none)"), _clean(campaign, "")
    return _channel_case(src, med, camp, _flags(src, med, camp))


def add_default_channel(
    table: ibis.Table,
    source: ir.Value | None,
    medium: ir.Value | None,
    campaign: ir.Value | None = None,
    *,
    name: str = "channel",
) -> ibis.Table:
    """``table`` with column ``name`` set to :func:`default_channel` of the given fields.

    The site-list regexes run once per distinct (source, medium, campaign), not once per row:
    event tables repeat a few traffic combinations millions of times. The channel of each
    combination is joined back on the cleaned (never NULL) fields.
    """
    keys = ("_jm_src", "_jm_med", "_jm_camp")
    cleaned = table.mutate(
        _jm_src=_clean(source, "(direct)"),
        _jm_med=_clean(medium, "(none)"),
        _jm_camp=_clean(campaign, ""),
    )
    combos = cleaned.select(*keys).distinct()
    src, med, camp = combos._jm_src, combos._jm_med, combos._jm_camp
    flagged = combos.mutate(**{f"_jm_{k}": v for k, v in _flags(src, med, camp).items()})
    flags = {k: flagged[f"_jm_{k}"] for k in _FLAGS}
    grouped = flagged.select(
        *keys,
        _jm_channel=_channel_case(flagged._jm_src, flagged._jm_med, flagged._jm_camp, flags),
    )
    joined = cleaned.left_join(grouped, list(keys))
    return joined.mutate(**{name: joined._jm_channel}).drop(*keys, "_jm_channel")


_FLAGS = ("paid", "search", "social", "video", "shopping")


def _flags(
    src: ir.StringValue, med: ir.StringValue, camp: ir.StringValue
) -> dict[str, ir.BooleanValue]:
    return {
        "paid": med.re_search(PAID_MEDIUM),
        "search": src.re_search(_SEARCH),
        "social": src.re_search(_SOCIAL),
        "video": src.re_search(_VIDEO),
        "shopping": src.re_search(_SHOPPING) | camp.re_search(SHOPPING_CAMPAIGN),
    }


def _channel_case(
    src: ir.StringValue,
    med: ir.StringValue,
    camp: ir.StringValue,
    flags: dict[str, ir.BooleanValue],
) -> ir.StringValue:
    paid, search, social = flags["paid"], flags["search"], flags["social"]
    video, shopping = flags["video"], flags["shopping"]
    push = (
        med.endswith("push")
        | med.contains("mobile")
        | med.contains("notification")
        | (src == "firebase")
    )
    result = ibis.cases(
        ((src == "(direct)") & med.isin(("(none)", "(not set)")), DIRECT),
        (camp.contains("cross-network"), CROSS_NETWORK),
        (shopping & paid, PAID_SHOPPING),
        (search & paid, PAID_SEARCH),
        (social & paid, PAID_SOCIAL),
        (video & paid, PAID_VIDEO),
        (med.isin(DISPLAY_MEDIUMS), DISPLAY),
        (paid, PAID_OTHER),
        (shopping, ORGANIC_SHOPPING),
        (social | med.isin(SOCIAL_MEDIUMS), ORGANIC_SOCIAL),
        (video | med.contains("video"), ORGANIC_VIDEO),
        (search | (med == "organic"), ORGANIC_SEARCH),
        (med.isin(REFERRAL_MEDIUMS), REFERRAL),
        (src.isin(EMAIL_VALUES) | med.isin(EMAIL_VALUES), EMAIL),
        (med == "affiliate", AFFILIATES),
        (med == "audio", AUDIO),
        ((src == "sms") | (med == "sms"), SMS),
        (push, MOBILE_PUSH),
        else_=UNASSIGNED,
    )
    return cast(ir.StringValue, result)


def traffic_field(table: ibis.Table, names: tuple[str, ...]) -> ir.StringValue | None:
    """The first of the columns ``names`` in ``table``, else those keys of its ``properties`` map.

    None when the table has neither (the data carries no such traffic field).
    """
    for name in names:
        if name in table.columns:
            return cast(ir.StringValue, table[name].cast(dt.string))
    if "properties" in table.columns and table.schema()["properties"].is_map():
        properties = table["properties"]
        return cast(ir.StringValue, ibis.coalesce(*[properties.get(name) for name in names]))
    return None


def with_default_channel(table: ibis.Table) -> ibis.Table:
    """``table`` with a ``channel`` column from the default grouping, if it has none yet.

    The source, medium and campaign come from columns (``source``/``utm_source``, ...) or from the
    ``properties`` map; a table with neither source nor medium is returned unchanged.
    """
    if "channel" in table.columns:
        return table
    source = traffic_field(table, SOURCE_FIELDS)
    medium = traffic_field(table, MEDIUM_FIELDS)
    if source is None and medium is None:
        return table
    return add_default_channel(table, source, medium, traffic_field(table, CAMPAIGN_FIELDS))


def _clean(value: ir.Value | None, missing: str) -> ir.StringValue:
    if value is None:
        return cast(ir.StringValue, ibis.literal(missing))
    text = cast(ir.StringValue, value.cast(dt.string)).lower()
    return cast(ir.StringValue, ibis.cases((text.isnull() | (text == ""), missing), else_=text))

"""The OpenAPI schema documents every area of the API."""

from __future__ import annotations

from django.test import Client


def test_openapi_lists_comments_versions_share_links_and_activity() -> None:
    paths = Client().get("/api/openapi.json").json()["paths"]
    expected = {
        "/api/maps/{map_id}/comments": {"get", "post"},
        "/api/maps/{map_id}/comments/{comment_id}/replies": {"post"},
        "/api/maps/{map_id}/comments/{comment_id}/resolve": {"post"},
        "/api/maps/{map_id}/comments/{comment_id}/reopen": {"post"},
        "/api/maps/{map_id}/comments/{comment_id}": {"delete"},
        "/api/maps/{map_id}/versions": {"get", "post"},
        "/api/maps/{map_id}/versions/{number}": {"get"},
        "/api/maps/{map_id}/versions/{number}/restore": {"post"},
        "/api/maps/{map_id}/diff": {"get"},
        "/api/maps/{map_id}/share-links": {"get", "post"},
        "/api/maps/{map_id}/share-links/{link_id}/revoke": {"post"},
        "/api/workspaces/{workspace_id}/activity": {"get"},
    }
    for path, methods in expected.items():
        assert methods <= set(paths.get(path, {})), path

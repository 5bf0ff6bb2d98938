"""The JSON API (django-ninja): OpenAPI at /api/docs."""

from ninja import NinjaAPI

api = NinjaAPI(title="journeymap API", version="1", urls_namespace="api")

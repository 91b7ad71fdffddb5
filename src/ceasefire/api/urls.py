"""The API v1 instance: every app's router mounted under /api/v1/."""

from ninja import NinjaAPI

api = NinjaAPI(title="Ceasefire API", version="1", urls_namespace="api")

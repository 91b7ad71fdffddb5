"""Analytics, early warning and reports (issue 8) in the permission matrix: the dashboard, scorecards and exports
are computed within each reader's visibility (their leak tests live in tests/analytics and tests/reports); alerts,
subscriptions, reports and publications named here by made-up codes answer exactly as records one may not see.

ANALYTICS_WEB_ROUTES / ANALYTICS_API_OPERATIONS hold keyword arguments of perm_matrix.WebRoute / ApiOperation."""

from __future__ import annotations

from typing import Any

from perm_world import Persona

SECRETARIAT_ONLY = frozenset({"secretariat"})


def _web(status: Any) -> Any:
    """Behind sign-in and a membership: anonymous -> sign-in, no party -> the 403 notice, member -> given."""

    def expect(persona: Persona, record: str | None) -> int:
        if persona.kind == "anonymous":
            return 302
        if persona.kind == "noparty":
            return 403
        return status(persona, record) if callable(status) else status

    return expect


def _api(member: Any, noparty: int) -> Any:
    def expect(persona: Persona, record: str | None) -> int:
        if persona.kind == "anonymous":
            return 401
        if persona.kind == "noparty":
            return noparty
        return member(persona, record) if callable(member) else member

    return expect


def _secretariat(allowed: int) -> Any:
    return lambda persona, record: allowed if persona.key in SECRETARIAT_ONLY else 403


REPORT_WEB = "tests/reports/test_report_web.py::"
ALERT_WEB = "tests/analytics/test_alerts_web.py::"

ANALYTICS_WEB_ROUTES: dict[str, dict[str, Any]] = {
    "web:dashboard": {"path": "/dashboard/", "expect": _web(200)},
    "web:dashboard-chart": {"path": "/dashboard/charts/complaints.json", "expect": _web(200)},
    "web:dashboard-chart-png": {"path": "/dashboard/charts/flows.png", "expect": _web(200)},
    "web:scorecards": {"path": "/scorecards/", "expect": _web(200)},
    "web:export": {"path": "/exports/complaints.csv", "expect": _web(200)},
    "web:export-acled": {"path": "/exports/determined-incidents.acled.csv", "expect": _web(200)},
    "web:alert-list": {"path": "/alerts/", "expect": _web(200)},
    "web:alert-subscriptions": {
        "path": "/alerts/subscriptions/",
        "expect": _web(200),
        "unsafe": ALERT_WEB + "test_subscribe_and_unsubscribe",
    },
    "web:alert-unsubscribe": {
        "path": "/alerts/subscriptions/SUB-2025-ZZZZ/end/",
        "expect": _web(405),
        "unsafe": ALERT_WEB + "test_ending_another_members_subscription_answers_404",
    },
    "web:alert-detail": {"path": "/alerts/ALR-2025-ZZZZ/", "expect": _web(404)},
    "web:report-list": {"path": "/reports/", "expect": _web(200)},
    "web:report-publications": {"path": "/reports/publications/", "expect": _web(200)},
    "web:report-generate": {
        "path": "/reports/generate/",
        "expect": _web(405),
        "unsafe": REPORT_WEB + "test_only_the_secretariat_may_generate_from_the_page",
    },
    "web:report-publish": {
        "path": "/reports/publications/publish/",
        "expect": _web(405),
        "unsafe": REPORT_WEB + "test_a_party_may_not_publish_and_sees_no_candidates",
    },
    "web:report-withdraw": {
        "path": "/reports/publications/PUB-2025-ZZZZ/withdraw/",
        "expect": _web(405),
        "unsafe": REPORT_WEB + "test_a_publication_is_withdrawn_only_by_the_secretariat_and_404_when_unknown",
    },
    # Public: the public reports' page (200 for everyone, with each reader's own page chrome), and the same
    # answer for everyone from the fonts the reports use and from unknown report codes (404).
    "web:public-reports": {"path": "/public/reports/", "expect": lambda persona, record: 200},
    "web:report-font": {"path": "/reports/fonts/NotoSans-400.ttf", "expect": None},
    "web:report-pdf": {"path": "/reports/RPT-2025-ZZZZ.pdf", "expect": None},
    "web:report-html": {"path": "/reports/RPT-2025-ZZZZ.html", "expect": None},
}

REPORT_API = "tests/reports/test_report_api.py::"
ALERT_API = "tests/analytics/test_alerts_api.py::"

ANALYTICS_API_OPERATIONS: dict[tuple[str, str], dict[str, Any]] = {
    ("GET", "/api/v1/analytics/dashboard"): {"path": "/api/v1/analytics/dashboard", "expect": _api(200, 200)},
    ("GET", "/api/v1/analytics/scorecards"): {"path": "/api/v1/analytics/scorecards", "expect": _api(200, 200)},
    ("GET", "/api/v1/exports/complaints.{fmt}"): {"path": "/api/v1/exports/complaints.csv", "expect": _api(200, 200)},
    ("GET", "/api/v1/exports/crossings.{fmt}"): {"path": "/api/v1/exports/crossings.csv", "expect": _api(200, 200)},
    ("GET", "/api/v1/exports/events.{fmt}"): {"path": "/api/v1/exports/events.csv", "expect": _api(200, 200)},
    ("GET", "/api/v1/exports/intel.{fmt}"): {"path": "/api/v1/exports/intel.csv", "expect": _api(200, 200)},
    ("GET", "/api/v1/exports/determined-incidents.acled.csv"): {
        "path": "/api/v1/exports/determined-incidents.acled.csv",
        "expect": _api(200, 200),
    },
    ("GET", "/api/v1/analytics/alerts"): {"path": "/api/v1/analytics/alerts", "expect": _api(200, 200)},
    ("GET", "/api/v1/analytics/alerts/{code}"): {
        "path": "/api/v1/analytics/alerts/ALR-2025-ZZZZ",
        "expect": _api(404, 404),
    },
    ("GET", "/api/v1/analytics/subscriptions"): {"path": "/api/v1/analytics/subscriptions", "expect": _api(200, 200)},
    ("POST", "/api/v1/analytics/subscriptions"): {
        "path": "/api/v1/analytics/subscriptions",
        "expect": _api(201, 403),
        "unsafe": ALERT_API + "test_subscriptions_create_list_delete",
    },
    ("GET", "/api/v1/analytics/subscriptions/{code}"): {
        "path": "/api/v1/analytics/subscriptions/SUB-2025-ZZZZ",
        "expect": _api(404, 404),
    },
    ("DELETE", "/api/v1/analytics/subscriptions/{code}"): {
        "path": "/api/v1/analytics/subscriptions/SUB-2025-ZZZZ",
        "expect": _api(404, 404),
        "unsafe": ALERT_API + "test_subscriptions_create_list_delete",
    },
    ("GET", "/api/v1/reports"): {"path": "/api/v1/reports", "expect": _api(200, 200)},
    ("GET", "/api/v1/publications"): {"path": "/api/v1/publications", "expect": _api(200, 200)},
    ("GET", "/api/v1/reports/{code}"): {"path": "/api/v1/reports/RPT-2025-ZZZZ", "expect": _api(404, 404)},
    ("GET", "/api/v1/reports/{code}/pdf"): {"path": "/api/v1/reports/RPT-2025-ZZZZ/pdf", "expect": _api(404, 404)},
    ("GET", "/api/v1/reports/{code}/html"): {"path": "/api/v1/reports/RPT-2025-ZZZZ/html", "expect": _api(404, 404)},
    ("POST", "/api/v1/reports"): {
        "path": "/api/v1/reports",
        "expect": _api(_secretariat(201), 403),
        "unsafe": REPORT_API + "test_publish_list_and_withdraw_through_the_api",
    },
    ("POST", "/api/v1/publications"): {
        "path": "/api/v1/publications",
        "expect": _api(_secretariat(201), 403),
        "unsafe": REPORT_API + "test_publish_list_and_withdraw_through_the_api",
    },
    ("POST", "/api/v1/publications/{code}/withdraw"): {
        "path": "/api/v1/publications/PUB-2025-ZZZZ/withdraw",
        "expect": _api(_secretariat(404), 403),
        "unsafe": REPORT_API + "test_publication_refusals_are_specific",
    },
}

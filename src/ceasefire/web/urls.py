"""The browser's routes: sign-in, home, complaints (list, detail, filing), evidence download and the map."""

from django.urls import include, path

from .views import auth, complaints, detail, evidence, filing, home, maps, membership

app_name = "web"
urlpatterns = [
    path("login/", auth.RateLimitedLoginView.as_view(), name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("membership/", membership.switch_membership, name="switch-membership"),
    path("", home.home, name="home"),
    path("complaints/", complaints.complaint_list, name="complaint-list"),
    path("complaints/new/", filing.file_complaint_view, name="complaint-new"),
    path("complaints/<str:public_code>/", detail.complaint_detail, name="complaint-detail"),
    path("complaints/<str:public_code>/evidence/", detail.add_evidence_view, name="complaint-add-evidence"),
    path("evidence/<str:evidence_code>/download", evidence.download, name="evidence-download"),
    path("places/search/", filing.place_search, name="place-search"),
    path("map/", maps.map_page, name="map"),
    path("map/outlines.geojson", maps.outlines, name="map-outlines"),
    path("map/reference-line.geojson", maps.reference_line, name="map-reference-line"),
    path("map/crossings.geojson", maps.crossings, name="map-crossings"),
    path("map/complaints.geojson", maps.complaints, name="map-complaints"),
    path("transparency/", include("ceasefire.web.views.log")),
]

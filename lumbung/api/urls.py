"""/api/v1/: the REST API, its OpenAPI schema and docs, and the DCAT catalogues."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from lumbung.core.access import access

from . import dcat, views, views_catalogue, views_more

app_name = "api"

region = "regions/<str:region_code>/"

urlpatterns = [
    path("", views.ApiRoot.as_view(), name="root"),
    path("schema/", access.public(SpectacularAPIView.as_view()), name="schema"),
    # The split view serves its start-up script as a file: the Content-Security-Policy refuses inline scripts.
    path("docs/", access.public(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("redoc/", access.public(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
    path("me/", views.Me.as_view(), name="me"),
    path("dcat/", dcat.DeploymentCatalogue.as_view(), name="dcat"),
    path("regions/", views.RegionList.as_view(), name="region-list"),
    path(region, views.RegionDetail.as_view(), name="region-detail"),
    path(f"{region}dcat/", dcat.RegionCatalogue.as_view(), name="region-dcat"),
    path(f"{region}units/", views.UnitList.as_view(), name="unit-list"),
    path(f"{region}innovations/", views.InnovationList.as_view(), name="innovation-list"),
    path(f"{region}innovations/<int:pk>/", views.InnovationDetail.as_view(), name="innovation-detail"),
    path(f"{region}programmes/", views.ProgrammeList.as_view(), name="programme-list"),
    path(f"{region}programmes/<int:pk>/compliance/", views.ProgrammeCompliance.as_view(), name="programme-compliance"),
    path(f"{region}assessments/", views.AssessmentList.as_view(), name="assessment-list"),
    path(f"{region}assessments/<int:pk>/", views.AssessmentDetail.as_view(), name="assessment-detail"),
    path(f"{region}assessments/<int:pk>/rows/", views.AssessmentRows.as_view(), name="assessment-rows"),
    path(f"{region}rows/<str:scope>/<int:pk>/", views.RowDetail.as_view(), name="row-detail"),
    path(f"{region}rows/<str:scope>/<int:pk>/evidence/", views.RowEvidenceUpload.as_view(), name="row-evidence"),
    path(f"{region}rows/<str:scope>/<int:pk>/attach/", views.RowAttach.as_view(), name="row-attach"),
    path(f"{region}documents/", views.DocumentList.as_view(), name="document-list"),
    path(f"{region}documents/<int:pk>/", views.DocumentDetail.as_view(), name="document-detail"),
    path(f"{region}competitions/", views_more.CompetitionList.as_view(), name="competition-list"),
    path(
        f"{region}competitions/<int:pk>/results/", views_more.CompetitionResults.as_view(), name="competition-results"
    ),
    path(f"{region}catalogue/", views_catalogue.CatalogueList.as_view(), name="catalogue-list"),
    path(
        f"{region}catalogue/<str:kind>/<int:pk>/adopt/",
        views_catalogue.CatalogueAdopt.as_view(),
        name="catalogue-adopt",
    ),
    path(f"{region}events/", views_more.EventList.as_view(), name="event-list"),
    # Anything else under /api/v1/ (an id that is not a number, a typo): the API's 404, in JSON.
    re_path(r"^(?P<rest>.+)$", views.NotFound.as_view(), name="not-found"),
]

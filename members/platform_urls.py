"""Platform pages for the national figures: not under an association, platform admins only."""

from django.urls import path

from members import views

app_name = "national_figures"

urlpatterns = [
    path("", views.PlatformFigureImportView.as_view(), name="import"),
    path("<int:pk>/", views.PlatformFigureImportPreviewView.as_view(), name="import_preview"),
]

from django.urls import path

from association import views

app_name = "association"

urlpatterns = [
    path("", views.AssociationHomeView.as_view(), name="home"),
    path("tema.css", views.theme_css, name="theme"),
    path("logotyp", views.logo, name="logo"),
    path("tillganglighet/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path("installningar/", views.AssociationSettingsView.as_view(), name="settings"),
    path("roller/", views.RoleListView.as_view(), name="roles"),
    path("roller/<int:pk>/ta-bort/", views.RevokeRoleView.as_view(), name="revoke_role"),
    path("historik/", views.HistoryView.as_view(), name="history"),
]

from django.urls import path

from governance import views

app_name = "governance"

urlpatterns = [
    path("", views.BodyListView.as_view(), name="body_list"),
    path("<slug:body>/", views.BodyDetailView.as_view(), name="body_detail"),
]

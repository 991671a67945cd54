from django.urls import path

from association import views

urlpatterns = [
    path("", views.MyAccountView.as_view(), name="my_account"),
    path("nytt-forbund/", views.AssociationCreateView.as_view(), name="association_create"),
]

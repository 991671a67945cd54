from django.urls import path

from association.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.DeliveryLogView.as_view(), name="log"),
    path("ledtider/", views.LeadTimesView.as_view(), name="lead_times"),
    path("<int:pk>/skicka-igen/", views.ResendView.as_view(), name="resend"),
]

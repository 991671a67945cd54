from django.urls import path

from governance.rooms import views

app_name = "rooms"

urlpatterns = [
    path("", views.WeekView.as_view(), name="week"),
    path("boka/", views.BookView.as_view(), name="book"),
    path("mina/", views.MyBookingsView.as_view(), name="mine"),
    path("bokningar/<int:pk>/avboka/", views.CancelBookingView.as_view(), name="cancel"),
    path("resurser/", views.ResourceListView.as_view(), name="resources"),
    path("resurser/ny/", views.ResourceCreateView.as_view(), name="resource_create"),
    path("resurser/<int:pk>/", views.ResourceUpdateView.as_view(), name="resource_update"),
]

"""The person's notifications, across associations (under /konto/aviseringar/)."""

from django.urls import path

from association.notifications import views

urlpatterns = [
    path("", views.MyNotificationsView.as_view(), name="my_notifications"),
    path("last/", views.MarkReadView.as_view(), name="my_notifications_read"),
    path("val/", views.MyChoicesView.as_view(), name="my_notification_choices"),
    path("val/<str:token>/", views.ChoiceByTokenView.as_view(), name="notification_choice"),
]

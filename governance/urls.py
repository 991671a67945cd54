from django.urls import path

from governance import views

app_name = "governance"

# Fixed words first; a body may not take them as its address (models.RESERVED_BODY_SLUGS).
urlpatterns = [
    path("", views.OrgChartView.as_view(), name="body_list"),
    path("ny/", views.BodyCreateView.as_view(), name="body_create"),
    path("mina/", views.MyBodiesView.as_view(), name="my_bodies"),
    path("personer/", views.PersonListView.as_view(), name="people"),
    path("personer/ny/", views.PersonCreateView.as_view(), name="person_create"),
    path("personer/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("personer/<int:pk>/andra/", views.PersonUpdateView.as_view(), name="person_update"),
    path("personer/<int:pk>/bjud-in/", views.PersonInviteView.as_view(), name="person_invite"),
    path("mandatperioder/", views.TermListView.as_view(), name="terms"),
    path("vakanser/", views.VacancyListView.as_view(), name="vacancies"),
    path("vardkommuner/", views.RotationListView.as_view(), name="rotations"),
    path("vardkommuner/ny/", views.RotationCreateView.as_view(), name="rotation_create"),
    path("vardkommuner/<int:pk>/", views.RotationUpdateView.as_view(), name="rotation_update"),
    path("uppdrag.csv", views.AssignmentsExportView.as_view(format="csv"), name="assignments_csv"),
    path(
        "uppdrag.xlsx", views.AssignmentsExportView.as_view(format="xlsx"), name="assignments_xlsx"
    ),
    path("<slug:body>/", views.BodyDetailView.as_view(), name="body_detail"),
    path("<slug:body>/andra/", views.BodyUpdateView.as_view(), name="body_update"),
    path("<slug:body>/historik/", views.BodyHistoryView.as_view(), name="body_history"),
    path("<slug:body>/platser/ny/", views.SeatCreateView.as_view(), name="seat_create"),
    path("<slug:body>/platser/<int:pk>/", views.SeatUpdateView.as_view(), name="seat_update"),
    path(
        "<slug:body>/platser/<int:pk>/ta-bort/", views.SeatDeleteView.as_view(), name="seat_delete"
    ),
    path("<slug:body>/uppdrag/ny/", views.AssignmentCreateView.as_view(), name="assignment_create"),
    path(
        "<slug:body>/uppdrag/<int:pk>/",
        views.AssignmentUpdateView.as_view(),
        name="assignment_update",
    ),
    path(
        "<slug:body>/uppdrag/<int:pk>/ta-bort/",
        views.AssignmentDeleteView.as_view(),
        name="assignment_delete",
    ),
    path("<slug:body>/ordforande/", views.ChairProposalView.as_view(), name="chair_proposal"),
    path(
        "<slug:body>/ledamoter.csv",
        views.BodyMembersExportView.as_view(format="csv"),
        name="body_members_csv",
    ),
    path(
        "<slug:body>/ledamoter.xlsx",
        views.BodyMembersExportView.as_view(format="xlsx"),
        name="body_members_xlsx",
    ),
]

from django.urls import path, register_converter
from django.urls.converters import IntConverter

from . import views


class RowIdConverter(IntConverter):
    """A database id: at most 18 digits, so a crafted 30-digit id is a 404, never a
    number too large for the database (SQLite's INTEGER, PostgreSQL's bigint)."""

    regex = "[0-9]{1,18}"


register_converter(RowIdConverter, "row_id")

app_name = "lessons"
urlpatterns = [
    path("", views.my_courses, name="my_courses"),
    path("search/", views.search, name="search"),
    path("lesson/<row_id:page_id>/complete/", views.lesson_complete, name="lesson_complete"),
    path("lesson/<row_id:page_id>/study/", views.lesson_study_ping, name="lesson_study_ping"),
    path("lesson/<row_id:page_id>/check/<str:block_id>/", views.knowledge_check, name="knowledge_check"),
    path("certificates/<row_id:course_id>.pdf", views.certificate_download, name="certificate_download"),
    path("certificates/verify/", views.certificate_verify, name="certificate_verify"),
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/<row_id:session_id>/attendance/", views.session_attendance, name="session_attendance"),
    path("sessions/<row_id:session_id>/venue/", views.session_venue, name="session_venue"),
    path("sessions/report/", views.training_report, name="training_report"),
    path("sessions/report.xlsx", views.training_report_export, name="training_report_export"),
    path("media/<row_id:document_id>/", views.media_file, name="media_file"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/<row_id:page_id>/", views.dashboard_course, name="dashboard_course"),
    path("dashboard/<row_id:page_id>/export.xlsx", views.dashboard_export, name="dashboard_export"),
    path("dashboard/<row_id:page_id>/certificates.pdf", views.dashboard_certificates, name="dashboard_certificates"),
]
